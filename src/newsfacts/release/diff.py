"""Data diff between releases, from a manifest each release keeps in the repository.

A release's manifest is `releases/<version>/`:

- `rows.tsv`: `table<TAB>key<TAB>hash` for every row, sorted; `key` is the primary key
  (columns joined by `|`), `hash` the first 16 hex of SHA-256 over the row's values. Plain
  sorted text, so Git stores consecutive releases as small deltas.
- `summary.json`: rows per table, events per type, and per actor its name and mention count.

`diff(old, new)` compares two manifests: rows added, removed and changed per table by primary
key, event-type counts and actors; an actor whose id changed while its name did not is reported
as renamed (old id -> new id), not as one actor removed and another added. Keys are positional
inside an article (`-m0001`, `-e0001`): when extraction finds one more mention early in an
article, the later mentions of that article shift and count as changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsfacts.schema import TABLES, primary_key


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_hashes(table: str, directory: Path) -> dict[str, str]:
    """{primary key: row hash} of one built table."""
    rows = pq.read_table(Path(directory) / f"{table}.parquet").to_pylist()
    key_cols = primary_key(table)
    out = {}
    for row in rows:
        key = "|".join(str(row[c]) for c in key_cols)
        blob = json.dumps([_canonical(v) for v in row.values()], ensure_ascii=False,
                          separators=(",", ":"), default=str)
        out[key] = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
    return out


@dataclass
class Manifest:
    """Row keys and hashes of one release, plus the counts the diff reports."""

    version: str
    rows: dict[str, dict[str, str]]  # {table: {key: hash}}
    event_types: dict[str, int]
    actors: dict[str, tuple[str, int]]  # {actor_id: (name, mentions)}

    @classmethod
    def from_build(cls, directory: Path, version: str) -> Manifest:
        """Manifest of a built folder."""
        directory = Path(directory)
        events = pq.read_table(directory / "events.parquet", columns=["event_type"])
        mentions = pq.read_table(directory / "mentions.parquet", columns=["actor_id"])
        actors = pq.read_table(directory / "actors.parquet", columns=["actor_id", "name"])
        n_mentions = Counter(a for a in mentions["actor_id"].to_pylist() if a is not None)
        return cls(
            version=version,
            rows={t: row_hashes(t, directory) for t in TABLES},
            event_types=dict(sorted(Counter(events["event_type"].to_pylist()).items())),
            actors={a: (n, n_mentions.get(a, 0)) for a, n in
                    zip(actors["actor_id"].to_pylist(), actors["name"].to_pylist(), strict=True)},
        )

    def write(self, folder: Path) -> None:
        """Write `rows.tsv` and `summary.json` into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "rows.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("table\tkey\thash\n")
            for t in TABLES:
                for key in sorted(self.rows[t]):
                    f.write(f"{t}\t{key}\t{self.rows[t][key]}\n")
        summary = {
            "version": self.version,
            "rows": {t: len(self.rows[t]) for t in TABLES},
            "event_types": self.event_types,
            "actors": {a: list(v) for a, v in sorted(self.actors.items())},
        }
        (folder / "summary.json").write_text(
            json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Inverse of `write`."""
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        rows: dict[str, dict[str, str]] = {t: {} for t in TABLES}
        with open(folder / "rows.tsv", encoding="utf-8") as f:
            next(f)
            for line in f:
                table, key, digest = line.rstrip("\n").split("\t")
                rows.setdefault(table, {})[key] = digest
        return cls(version=summary["version"], rows=rows, event_types=summary["event_types"],
                   actors={a: (v[0], v[1]) for a, v in summary["actors"].items()})


@dataclass
class TableDiff:
    rows: int
    added: int
    removed: int
    changed: int

    @property
    def unchanged(self) -> int:
        return self.rows - self.added - self.changed


@dataclass
class DataDiff:
    """What changed from `old` (None for a first release) to `new`."""

    old_version: str | None
    new_version: str
    tables: dict[str, TableDiff]
    event_types: dict[str, tuple[int, int]]  # {type: (old count, new count)}, changed ones only
    actors_added: list[tuple[str, str, int]] = field(default_factory=list)  # (id, name, mentions)
    actors_removed: list[tuple[str, str, int]] = field(default_factory=list)
    actor_mentions: list[tuple[str, str, int, int]] = field(default_factory=list)  # changed counts
    actors_renamed: list[tuple[str, str, str, int]] = field(default_factory=list)
    """(old id, new id, name, mentions now): an id that left while one with the same name came."""

    @property
    def is_empty(self) -> bool:
        return not any(d.added or d.removed or d.changed for d in self.tables.values())


def diff(old: Manifest | None, new: Manifest) -> DataDiff:
    """Compare two manifests (old None: everything is added)."""
    tables = {}
    for t in TABLES:
        before = old.rows.get(t, {}) if old else {}
        after = new.rows[t]
        tables[t] = TableDiff(
            rows=len(after),
            added=sum(k not in before for k in after),
            removed=sum(k not in after for k in before),
            changed=sum(k in before and before[k] != h for k, h in after.items()),
        )
    old_types = old.event_types if old else {}
    types = {k: (old_types.get(k, 0), new.event_types.get(k, 0))
             for k in sorted(set(old_types) | set(new.event_types))}
    old_actors = old.actors if old else {}

    def by_mentions(items):
        return sorted(items, key=lambda r: (-r[2], r[0]))

    renamed = _renamed(old_actors, new.actors)
    gone, came = {r[0] for r in renamed}, {r[1] for r in renamed}
    return DataDiff(
        old_version=old.version if old else None, new_version=new.version, tables=tables,
        event_types={k: v for k, v in types.items() if v[0] != v[1]},
        actors_added=by_mentions((a, n, m) for a, (n, m) in new.actors.items()
                                 if a not in old_actors and a not in came),
        actors_removed=by_mentions((a, n, m) for a, (n, m) in old_actors.items()
                                   if a not in new.actors and a not in gone),
        actors_renamed=renamed,
        actor_mentions=sorted(
            ((a, n, old_actors[a][1], m) for a, (n, m) in new.actors.items()
             if a in old_actors and old_actors[a][1] != m),
            key=lambda r: (-abs(r[3] - r[2]), r[0])),
    )


def _renamed(old: dict[str, tuple[str, int]], new: dict[str, tuple[str, int]]
             ) -> list[tuple[str, str, str, int]]:
    """Ids renamed between releases: a removed id and an added id whose actors have the same
    name, when that name belongs to exactly one removed and one added id ('Paweł Adamowicz':
    `pawe-adamowicz` -> `pawel-adamowicz` once slugs transliterate)."""
    removed: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for a, (name, _) in old.items():
        if a not in new:
            removed.setdefault(name, []).append(a)
    for a, (name, _) in new.items():
        if a not in old:
            added.setdefault(name, []).append(a)
    out = [(removed[n][0], added[n][0], n, new[added[n][0]][1]) for n in removed
           if len(removed[n]) == 1 and len(added.get(n, [])) == 1]
    return sorted(out, key=lambda r: (-r[3], r[0]))


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")


def _actor_list(items: list[tuple[str, str, int]], limit: int) -> str:
    shown = ", ".join(f"{name} ({m})" for _, name, m in items[:limit])
    more = f", and {len(items) - limit} more" if len(items) > limit else ""
    return shown + more


def render(d: DataDiff, limit: int = 10) -> str:
    """Human summary (Markdown) for the changelog, the card and the tag message."""
    if d.old_version is None:
        head = "First release: every row is new."
    elif d.is_empty:
        head = f"Compared with {d.old_version}: no row added, removed or changed."
    else:
        head = f"Compared with {d.old_version}:"
    lines = [head, "", "| table | rows | added | removed | changed | unchanged |",
             "|---|---:|---:|---:|---:|---:|"]
    for t, td in d.tables.items():
        lines.append(f"| {t} | {td.rows} | {td.added} | {td.removed} | {td.changed} | "
                     f"{td.unchanged} |")
    lines.append("")
    if d.event_types:
        lines.append("- Event types: " + "; ".join(
            f"{k} {a} → {b} ({_signed(b - a)})" for k, (a, b) in d.event_types.items()) + ".")
    else:
        lines.append("- Event types: no change in counts.")
    if d.actors_added:
        lines.append(f"- Actors added: {len(d.actors_added)}; most mentioned: "
                     f"{_actor_list(d.actors_added, limit)}.")
    if d.actors_removed:
        lines.append(f"- Actors removed: {len(d.actors_removed)}; most mentioned before: "
                     f"{_actor_list(d.actors_removed, limit)}.")
    if d.actors_renamed:
        shown = ", ".join(f"{name}: `{a}` → `{b}`" for a, b, name, _ in d.actors_renamed[:limit])
        more = (f", and {len(d.actors_renamed) - limit} more"
                if len(d.actors_renamed) > limit else "")
        lines.append(f"- Actor ids renamed: {len(d.actors_renamed)} (same name, new id); "
                     f"{shown}{more}.")
    if d.actor_mentions:
        shown = ", ".join(f"{n} {a} → {b}" for _, n, a, b in d.actor_mentions[:limit])
        more = (f", and {len(d.actor_mentions) - limit} more"
                if len(d.actor_mentions) > limit else "")
        lines.append(f"- Mention counts changed for {len(d.actor_mentions)} actors: "
                     f"{shown}{more}.")
    if not (d.actors_added or d.actors_removed or d.actor_mentions or d.actors_renamed):
        lines.append("- Actors: no actor added or removed, no mention count changed.")
    return "\n".join(lines)
