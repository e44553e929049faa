#!/bin/bash
# Start a single-node Slurm (Debian's `slurm-wlm` and `munge` packages) on this machine for the
# cluster tests: munged, slurmctld and slurmd started by hand (no systemd needed), one node
# `hostname -s` on 127.0.0.1 with 2 CPUs, partition `debug`, no cgroups, no accounting. The
# config, state, spool and logs live in $PNC_SLURM_DIR (default /tmp/pnc-slurm-test). Running it
# again reuses daemons that answer, else restarts them (fresh state). Prints an `export` line for
# SLURM_CONF on stdout (evaluate it), everything else on stderr.
set -euo pipefail
SUDO=""
AS_MUNGE=(runuser -u munge --)
if [ "$(id -u)" != 0 ]; then SUDO=sudo; AS_MUNGE=(sudo -u munge); fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 \
    || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo ">> installing slurm-wlm munge" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slurm-wlm munge >&2
fi

DIR=${PNC_SLURM_DIR:-/tmp/pnc-slurm-test}
CONF=$DIR/slurm.conf
HOST=$(hostname -s)
PORT=${PNC_SLURM_PORT:-6817}  # slurmctld; slurmd listens on PORT+1
CPUS=$(( $(nproc) < 2 ? $(nproc) : 2 ))
MEM_MB=$(awk '/^MemTotal:/ {m = int($2 / 1024 * 0.8); print (m < 1024 ? m : 1024)}' /proc/meminfo)
export SLURM_CONF=$CONF

# munge: Slurm's authentication (the package creates /etc/munge/munge.key)
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if ! $SUDO test -s /etc/munge/munge.key; then
    $SUDO mungekey --create --keyfile=/etc/munge/munge.key >&2
  fi
  $SUDO chown munge:munge /etc/munge/munge.key
  $SUDO chmod 400 /etc/munge/munge.key
  $SUDO mkdir -p /run/munge
  $SUDO chown munge:munge /run/munge
  $SUDO chmod 755 /run/munge
  "${AS_MUNGE[@]}" /usr/sbin/munged >&2
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break || sleep 0.5; done
  munge -n | unmunge >/dev/null
fi

node_state() { sinfo -h -n "$HOST" -o %T 2>/dev/null | head -1; }
alive() { [ -s "$1" ] && $SUDO kill -0 "$(cat "$1")" 2>/dev/null; }

if alive "$DIR/run/slurmctld.pid" && alive "$DIR/run/slurmd.pid" && scontrol ping >/dev/null 2>&1; then
  echo ">> reusing the running Slurm in $DIR" >&2
else
  for d in slurmd slurmctld; do  # only the daemons this script started (their pid files)
    if alive "$DIR/run/$d.pid"; then
      $SUDO kill "$(cat "$DIR/run/$d.pid")"
      for _ in $(seq 1 20); do alive "$DIR/run/$d.pid" || break; sleep 0.5; done
    fi
  done
  $SUDO rm -rf "$DIR"/{state,spool,log,run} "$CONF"  # a fresh start (job ids from 1)
  $SUDO mkdir -p "$DIR"/{state,spool,log,run}
  $SUDO tee "$CONF" >/dev/null <<EOF
# Written by tests/cluster_tests/start_slurm.sh: one node, no cgroups, no accounting.
ClusterName=pnc-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB Features=pnc,fast State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
  echo ">> starting slurmctld and slurmd ($CONF)" >&2
  $SUDO slurmctld -f "$CONF" >&2
  for _ in $(seq 1 30); do scontrol ping >/dev/null 2>&1 && break || sleep 0.5; done
  $SUDO slurmd -f "$CONF" -N "$HOST" >&2
fi

for i in $(seq 1 60); do
  state=$(node_state)
  case "$state" in
    idle) break ;;
    down*|drain*|drained*)
      [ "$i" = 10 ] && $SUDO scontrol update nodename="$HOST" state=resume >&2 || true ;;
  esac
  sleep 0.5
done
if [ "$(node_state)" != idle ]; then
  echo "!! node $HOST is '$(node_state)', not idle; logs in $DIR/log:" >&2
  $SUDO tail -n 20 "$DIR"/log/*.log >&2 || true
  exit 1
fi
echo ">> Slurm $(sinfo -V | awk '{print $2}'): node $HOST idle ($CPUS CPUs, ${MEM_MB} MB)" >&2
echo "export SLURM_CONF=$CONF"
