"""Cutting a release: `plan` (release.toml, versions, git, every refusal that needs no build),
`cut` (the release: build, diff, changelog, commit and tag), `diff` (rows added, removed and
changed against the previous release), and the artifacts: `artifacts` (sdist, wheel, CSV zip,
Hugging Face folder), `hf` (the folder's layout), `card` (dataset card), `croissant`
(Croissant metadata)."""
