"""Show one article with the rows extracted from it, so a user can see where each row came from.

Terminal output uses rich; HTML uses spaCy's displaCy in manual mode (character offsets in,
highlighted text out), followed by the event and figure tables.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts.errors import NewsfactsError
from newsfacts.load import read_table

COLORS = {"ACTOR": "#a6e3ff", "EVENT": "#ffb38a", "FIGURE": "#b5f2a1"}


class UnknownArticle(NewsfactsError, KeyError):
    """The article id is not in the built tables."""


def article_rows(article_id: str, directory: Path | None = None) -> dict[str, Any]:
    """The article and its mentions, events and figures (with actor names resolved)."""
    articles = read_table("articles", directory)
    match = articles[articles["article_id"] == article_id]
    if match.empty:
        raise UnknownArticle(f"article {article_id!r} is not in the build "
                             f"({len(articles)} articles)")
    names = read_table("actors", directory).set_index("actor_id")["name"].to_dict()
    article = {k: (None if not isinstance(v, list) and pd.isna(v) else v)
               for k, v in match.iloc[0].to_dict().items()}
    rows: dict[str, Any] = {"article": article, "names": names}
    for table in ("mentions", "events", "figures"):
        df = read_table(table, directory)
        rows[table] = df[df["article_id"] == article_id].reset_index(drop=True)
    return rows


def spans(rows: dict[str, Any]) -> list[dict[str, Any]]:
    """Non-overlapping highlight spans (mentions, then triggers, then figures win on overlap)."""
    candidates = [(m.start, m.end, "ACTOR", rows["names"].get(m.actor_id, m.actor_id))
                  for m in rows["mentions"].itertuples()]
    seen_triggers = set()
    for e in rows["events"].itertuples():
        if (e.trigger_start, e.trigger_end) not in seen_triggers:
            seen_triggers.add((e.trigger_start, e.trigger_end))
            candidates.append((e.trigger_start, e.trigger_end, "EVENT", e.event_type))
    candidates += [(f.start, f.end, "FIGURE", f"{f.kind} {f.value:g}")
                   for f in rows["figures"].itertuples()]
    out = []
    taken: list[tuple[int, int]] = []
    for start, end, kind, label in candidates:
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            out.append({"start": int(start), "end": int(end), "kind": kind, "label": label})
    return sorted(out, key=lambda s: s["start"])


def _blank(value: Any) -> str:
    """Empty string for null cells, so tables show nothing rather than nan."""
    return "" if value is None or pd.isna(value) else str(value)


def _event_lines(rows: dict[str, Any]) -> list[tuple[str, ...]]:
    names = rows["names"]

    def name(actor_id: Any) -> str:
        return "—" if actor_id is None or pd.isna(actor_id) else names.get(actor_id, actor_id)

    return [(e.event_id.rsplit("-", 1)[1], e.event_type, e.trigger, e.modality,
             f"{name(e.source_actor_id)} → {name(e.target_actor_id)}",
             f"{'—' if pd.isna(e.event_date) else e.event_date} "
             f"({e.date_precision}, {e.date_basis})")
            for e in rows["events"].itertuples()]


def render_terminal(rows: dict[str, Any], console) -> None:
    """Print the highlighted text and the event and figure tables with rich."""
    from rich.table import Table
    from rich.text import Text

    art = rows["article"]
    text = Text(art["text"])
    style = {"ACTOR": "bold cyan", "EVENT": "bold black on dark_orange", "FIGURE": "bold green"}
    for s in spans(rows):
        text.stylize(style[s["kind"]], s["start"], s["end"])
    console.rule(f"{art['article_id']} · {art['published_date']} · {art['title'] or ''}")
    console.print(text)
    events = Table("id", "type", "trigger", "modality", "source → target", "date",
                   title=f"events ({len(rows['events'])})")
    for line in _event_lines(rows):
        events.add_row(*line)
    console.print(events)
    figures = Table("id", "text", "value", "qualifier", "kind", "unit", "counted",
                    title=f"figures ({len(rows['figures'])})")
    for f in rows["figures"].itertuples():
        figures.add_row(f.figure_id.rsplit("-", 1)[1], f.text, f"{f.value:g}", f.qualifier,
                        f.kind, _blank(f.unit), _blank(f.counted))
    console.print(figures)


def render_html(rows: dict[str, Any]) -> str:
    """A standalone HTML page: displaCy-highlighted text, then the event and figure tables."""
    from spacy import displacy

    art = rows["article"]
    ents = [{"start": s["start"], "end": s["end"], "label": f"{s['kind']}: {s['label']}"}
            for s in spans(rows)]
    colors = {e["label"]: COLORS[e["label"].split(":")[0]] for e in ents}
    body = displacy.render({"text": art["text"], "ents": ents, "title": art["title"]},
                           style="ent", manual=True, page=False, options={"colors": colors})

    def table(header: tuple[str, ...], lines: list[tuple[Any, ...]]) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in line)
                        + "</tr>" for line in lines)
        return f"<table border='1' cellpadding='4'><tr>{head}</tr>{cells}</table>"

    events = table(("id", "type", "trigger", "modality", "source → target", "date"),
                   _event_lines(rows))
    figures = table(("id", "text", "value", "qualifier", "kind", "unit", "counted"),
                    [(f.figure_id.rsplit("-", 1)[1], f.text, f"{f.value:g}", f.qualifier,
                      f.kind, _blank(f.unit), _blank(f.counted))
                     for f in rows["figures"].itertuples()])
    title = html.escape(f"{art['article_id']} — {art['title'] or ''}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body style='font-family:sans-serif;max-width:60rem;margin:auto'>"
            f"<h1>{title}</h1><p>{art['published_date']} · {html.escape(art['source'])}</p>"
            f"{body}<h2>Events</h2>{events}<h2>Figures</h2>{figures}</body></html>\n")
