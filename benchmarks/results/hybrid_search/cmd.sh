# hybrid Si3N4-on-SiO2-on-Ag bullseye search for a 10 nm CsPbBr3 nanocrystal at 295 K (issue 14 item 3)
.venv/bin/python -m optimize optimize bullseye_hybrid_sin_ag_520 --emitter CsPbBr3 --edge-nm 10 \
  --temperature-k 295 --set disk_radius_um=0.26 --set period_um=0.31 --set trench_width_um=0.11 \
  --set thickness_um=0.22 --set spacer_thickness_um=0.09 \
  --params disk_radius_um,period_um,trench_width_um,spacer_thickness_um \
  --bound 'disk_radius_um=[0.20,0.32]' --bound 'period_um=[0.27,0.36]' \
  --bound 'trench_width_um=[0.08,0.15]' --bound 'spacer_thickness_um=[0.05,0.20]' \
  --grid-step-nm 5 --objective brightness --on-resonance none --n-trials 0 \
  --study hybrid-cspbbr3-broadband --storage runs/hybrid/study.journal --out runs/hybrid --resume --quiet
