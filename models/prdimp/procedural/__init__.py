"""Procedural time-lapses with exact ground truth (numpy only; no torch).

- `noise` (smooth random fields), `steering` (crowding), `sequence_io` (TIFF, ground-truth and
  lineage CSVs): leaves, importing nothing of the package;
- `nuclei`: fluorescence-like nuclei sequences, the test sequences of the Java engine and the
  plugin's bundled sample (`render_sequence(spec, seed)`, presets nuclei / sample / fast);
- `scene_motion`, `scene_render`, `scene_kinds`: objects and motion, rendering and camera, and the
  per-kind settings of the training scenes; `training_sequences`: one training or validation
  sequence per seed (`training_sequence`, `KINDS`, `validation_seeds`) and the validation-set writer;
- `__main__`: the command line, `python3 -m prdimp.procedural OUT_DIR ...`.
"""
