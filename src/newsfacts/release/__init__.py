"""Cutting a release: `cut` (release.toml, versions, every refusal that needs no build, then
the release: build, diff, changelog, commit and tag), `diff` (rows added, removed and changed
against the previous release), and the artifacts: `artifacts` (sdist, wheel, CSV zip, Hugging
Face folder), `hf` (the folder's layout), `card` (dataset card), `croissant` (Croissant
metadata)."""
