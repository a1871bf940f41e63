"""Uploading a release made by `newsfacts release`: `pypi` (sdist and wheel) and `hf` (the
Hugging Face dataset repository). Both are safe to re-run."""
