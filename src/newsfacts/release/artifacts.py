"""Release artifacts, built from a staging copy of the committed files: the sdist and wheel
(with the tables inside), the Frictionless CSV zip and the Hugging Face folder (card, split
Parquet files, croissant.json)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from newsfacts.build.write import write_json
from newsfacts.release.cut import (
    ReleaseRefused,
    git,
)
from newsfacts.schema import TABLES

# --------------------------------------------------------------------------- artifacts


def build_packages(root: Path, data: Path, out: Path, *, pyproject: str,
                   changelog: str) -> list[Path]:
    """sdist and wheel from a staging copy of the committed files plus the tables.

    The staging copy gets the release's `pyproject.toml` and `CHANGELOG.md` and the tables
    (`src/newsfacts/data/*.parquet` + `datapackage.json`), so they end up inside the package
    while a normal dev install of the checkout stays code-only; every wheel carries
    `schema/*.json` as `newsfacts/schema/` (pyproject's force-include). `uv build` makes the
    sdist, then the wheel from that sdist, which proves the sdist rebuilds.
    """
    stage = out.parent / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    for rel in git(root, "ls-files", "-z").split("\0"):
        if rel and (root / rel).is_file():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, stage / rel)
    (stage / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (stage / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    pkg_data = stage / "src" / "newsfacts" / "data"
    shutil.rmtree(pkg_data, ignore_errors=True)
    pkg_data.mkdir(parents=True)
    for t in TABLES:  # the schemas come in through pyproject's force-include of schema/
        shutil.copy2(data / f"{t}.parquet", pkg_data / f"{t}.parquet")
    shutil.copy2(data / "datapackage.json", pkg_data / "datapackage.json")
    pkgs = out / "packages"
    uv = shutil.which("uv")
    if uv is None:
        raise ReleaseRefused("package", "uv is not on PATH; the sdist and wheel are made with "
                                        "`uv build`: pip install uv, then release again")
    proc = subprocess.run([uv, "build", "--sdist", "--wheel", "--out-dir", str(pkgs),
                           str(stage)], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": os.environ.get(
                              "SOURCE_DATE_EPOCH", "315532800")})
    if proc.returncode != 0:
        raise ReleaseRefused("package", f"uv build failed:\n{proc.stderr[-3000:]}")
    built = sorted(p for p in pkgs.iterdir() if p.suffix in (".whl", ".gz"))
    if len(built) != 2:
        raise ReleaseRefused("package", f"uv build made {[p.name for p in built]}, expected "
                                        "one sdist and one wheel")
    _check_wheel(next(p for p in built if p.suffix == ".whl"))
    return built


def _check_wheel(wheel: Path) -> None:
    """The wheel must carry every table, its descriptor and every schema."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    need = {f"newsfacts/data/{t}.parquet" for t in TABLES} | {
        f"newsfacts/schema/{t}.json" for t in TABLES} | {"newsfacts/data/datapackage.json"}
    missing = sorted(need - names)
    if missing:
        raise ReleaseRefused("package", f"{wheel.name} lacks {', '.join(missing)}")


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_csv_zip(data: Path, path: Path, version: str) -> Path:
    """`newsfacts-X.Y.Z-csv.zip`: one folder with the CSV tables and their `datapackage.json`.

    The descriptor is the build's (same CSV hashes and byte counts, which `frictionless
    validate` checks) without the Parquet entries, whose files are not in the zip. Entries are
    sorted and dated 1980-01-01, so the same tables give the same zip.
    """
    descriptor = json.loads((data / "datapackage.json").read_text("utf-8"))
    if descriptor.get("version") != version:
        raise ReleaseRefused("package", f"datapackage.json says version "
                                        f"{descriptor.get('version')}, not {version}")
    for res in descriptor["resources"]:
        res.pop("parquet", None)
    folder = f"newsfacts-{version}-csv"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(_zip_info(f"{folder}/datapackage.json"),
                   json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
        for t in TABLES:
            z.writestr(_zip_info(f"{folder}/{t}.csv"), (data / f"{t}.csv").read_bytes())
    return path


def write_hf_folder(data: Path, out: Path, *, version: str, repo_id: str,
                    sources: list[dict[str, Any]], quality: dict[str, Any] | None,
                    changes: str, released: dt.date) -> Path:
    """The Hugging Face folder: `README.md`, `data/<table>/<split>.parquet`, `images/`,
    `croissant.json` (validated with mlcroissant before it is accepted)."""
    from newsfacts.release import card, croissant, hf

    out.mkdir(parents=True)
    files = hf.write_hf_data(data, out)
    charts = card.write_charts(data, out / "images")
    pr_chart = card.write_pr_chart(quality, out / "images")
    if pr_chart:
        charts["precision_recall"] = pr_chart
    text = card.render_card(version=version, repo_id=repo_id, files=files, sources=sources,
                            charts=charts, quality=quality, changes=changes, released=released)
    (out / "README.md").write_text(text, encoding="utf-8")
    doc = croissant.metadata(version=version, repo_id=repo_id,
                             licenses=[s["license"] for s in sources],
                             citation=card.bibtex(version, repo_id, released.year),
                             date_published=released.isoformat(), sources=sources)
    write_json(out / "croissant.json", doc)
    problems = card.card_mismatches(out)
    if problems:
        raise ReleaseRefused("card", "the card's YAML does not match the Parquet files",
                             problems)
    try:
        croissant.validate(out / "croissant.json")
    except Exception as exc:  # mlcroissant raises its own ValidationError
        raise ReleaseRefused("croissant", f"croissant.json is not valid: {exc}") from None
    return out
