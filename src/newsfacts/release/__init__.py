"""Cutting a release: `cut` (the plan, refusals and the release itself), `diff` (rows added,
removed and changed against the previous release), and the artifacts: `hf` (Hugging Face
folder), `card` (dataset card), `croissant` (Croissant metadata)."""
