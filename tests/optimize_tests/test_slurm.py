"""`pnc-optimize slurm`: quoting, time formats, pass-through options, SIGTERM request."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys

import pytest

from optimize.cli import main

INJECT = "my study; touch INJECTED"


def _script(capsys, tmp_path, *extra: str) -> str:
    code = main(["slurm", "--n-trials", "5", "--workers", "2", "--ranks", "2",
                 "--out", str(tmp_path / "o w"), "--dry-run", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _exec_line(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if ln.startswith("exec ")]
    assert len(lines) == 1, script
    return shlex.split(lines[0])


def _sbatch(script: str) -> list[str]:
    out = []
    for ln in script.splitlines():
        if ln.startswith("#SBATCH "):
            words = shlex.split(ln.removeprefix("#SBATCH "))
            assert len(words) == 1, ln
            out.append(words[0])
    return out


def test_injected_study_name_is_quoted_everywhere(capsys, tmp_path):
    study = INJECT + "'; touch INJECTED2; '"
    script = _script(capsys, tmp_path, "--study", study)
    argv = _exec_line(script)
    assert argv[argv.index("--study") + 1] == study
    assert argv[argv.index("--out") + 1] == str((tmp_path / "o w").resolve())
    assert f"--job-name=pnc-{study}" in _sbatch(script)
    for ln in script.splitlines():  # no shell line carries the injected command as words
        if not ln.startswith("#"):
            assert "touch" not in shlex.split(ln, comments=True), ln


def test_generated_script_runs_the_worker_with_the_exact_arguments(capsys, tmp_path):
    study = INJECT + "'; touch INJECTED2; '"
    script = _script(capsys, tmp_path, "--study", study, "--setup", "true")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pnc-optimize"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    path = tmp_path / "job.sbatch"
    path.write_text(script)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               PNC_STORAGE="sqlite:///x.db", SLURM_ARRAY_TASK_ID="1")
    proc = subprocess.run(["bash", str(path)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=False, timeout=30)
    assert proc.returncode == 0, proc.stderr
    argv = json.loads(proc.stdout)
    assert argv[argv.index("--study") + 1] == study
    assert argv[argv.index("--worker-index") + 1] == "1"
    assert not list(tmp_path.glob("INJECTED*"))


@pytest.mark.parametrize("time", ["forever", "1:2:3:4", "1-", "10:75", "0", "-5", "1-25"])
def test_bad_time_is_refused_before_writing(time, capsys, tmp_path):
    code = main(["slurm", "--n-trials", "5", "--time", time, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--time" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("time", ["90", "05:30", "24:00:00", "2-12", "1-06:30", "1-00:00:00"])
def test_good_times_are_accepted(time, capsys, tmp_path):
    assert f"--time={time}" in _sbatch(_script(capsys, tmp_path, "--time", time))


def test_pass_through_options_and_one_node(capsys, tmp_path):
    script = _script(capsys, tmp_path, "--account", "proj x", "--qos", "normal", "--mem",
                     "16G", "--constraint", "skylake&ib", "--partition", "short",
                     "--launcher", "srun  --mpi=pmix")
    opts = _sbatch(script)
    for want in ("--account=proj x", "--qos=normal", "--mem=16G", "--constraint=skylake&ib",
                 "--partition=short", "--nodes=1", "--ntasks=2"):
        assert want in opts, opts
    argv = _exec_line(script)
    assert argv[argv.index("--launcher") + 1] == "srun --mpi=pmix"


@pytest.mark.parametrize(("args", "message"), [
    (["--launcher", "bash -c evil"], "--launcher"),
    (["--launcher", "srun 'a b'"], "white space"),
    (["--mem", "lots"], "--mem"),
    (["--storage-env", "X; rm"], "--storage-env"),
    (["--study", "a\nrm -rf ~"], "--study"),
    (["--signal-grace-s", "0"], "signal_grace_s"),
    (["--time", "00:04:00", "--signal-grace-s", "300"], "signal_grace_s < time limit"),
])
def test_bad_options_exit_2(args, message, capsys, tmp_path):
    code = main(["slurm", "--n-trials", "5", "--dry-run", "--out", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err


def test_sigterm_is_requested_before_the_time_limit(capsys, tmp_path):
    assert "--signal=B:TERM@300" in _sbatch(_script(capsys, tmp_path))
    assert "--signal=B:TERM@120" in _sbatch(_script(capsys, tmp_path, "--signal-grace-s",
                                                    "120"))


def test_worker_accepts_a_launcher_with_options():
    from optimize.cli import build_parser

    args = build_parser().parse_args(["worker", "--n-trials", "1", "--launcher",
                                      "mpirun --allow-run-as-root"])
    assert args.launcher == "mpirun --allow-run-as-root"


def test_script_file_name_has_no_path_separator(capsys, tmp_path):
    code = main(["slurm", "--n-trials", "5", "--study", "../../evil name",
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    written = [p for p in tmp_path.iterdir() if p.suffix == ".sbatch"]
    assert len(written) == 1 and written[0].name == "evil_name.sbatch", written
    assert out.strip() == str(written[0])


def _sbatch_words(line: str) -> list[str]:
    """The words ``sbatch`` itself reads from an ``#SBATCH`` line: a Python copy of
    ``_get_argument`` in Slurm's src/sbatch/opt.c (22.05): single and double quotes, a
    backslash escapes the next character even inside quotes, an unquoted ``#`` ends the line."""
    words, i, text = [], 0, line.removeprefix("#SBATCH")
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return words
        word, quote, escape = [], "", False
        while i < len(text) and (quote or not text[i].isspace()):
            c = text[i]
            i += 1
            if escape:
                escape = False
            elif c == "\\":
                escape = True
                continue
            elif quote:
                if c == quote:
                    quote = ""
                    continue
            elif c in "'\"":
                quote = c
                continue
            elif c == "#":
                return [*words, "".join(word)] if word else words
            word.append(c)
        assert not quote, f"unmatched quote in {line!r}"
        words.append("".join(word))


def test_sbatch_lines_survive_sbatchs_own_parser(capsys, tmp_path):
    """sbatch is no shell: backslashes escape inside single quotes, `%` is a pattern in
    --output (found on a real Slurm 22.05, tests/cluster_tests/test_slurm_real.py)."""
    study = "a\\b 'c' \"d\" #e %j; touch INJECTED"
    out = tmp_path / "run 100%j"
    code = main(["slurm", "--n-trials", "5", "--workers", "2", "--ranks", "1", "--study", study,
                 "--out", str(out), "--account", "p\\q", "--dry-run"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    opts = []
    for ln in captured.out.splitlines():
        if ln.startswith("#SBATCH "):
            words = _sbatch_words(ln)
            assert len(words) == 1, ln
            opts.append(words[0])
    assert f"--job-name=pnc-{study}" in opts, opts
    assert "--account=p\\q" in opts, opts
    want = f"--output={str(out.resolve()).replace('%', '%%')}/slurm-%A_%a.out"
    assert want in opts, opts
    argv = _exec_line(captured.out)  # the shell lines keep the plain shell quoting
    assert argv[argv.index("--study") + 1] == study
    assert argv[argv.index("--out") + 1] == str(out.resolve())


def test_run_folder_with_a_backslash_is_refused(capsys, tmp_path):
    code = main(["slurm", "--n-trials", "5", "--out", str(tmp_path / "a\\b"), "--dry-run"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--out" in err and "backslash" in err and "Traceback" not in err
