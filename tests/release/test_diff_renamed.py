"""The release diff reports renamed actor ids (same name, new id) as renames."""

from __future__ import annotations

from newsfacts.release.diff import Manifest, diff, render
from newsfacts.schema import TABLES


def _manifest(version: str, actors: dict[str, tuple[str, int]]) -> Manifest:
    rows = {t: {} for t in TABLES}
    rows["actors"] = {a: a for a in actors}
    return Manifest(version, rows, {}, actors)


def test_renamed_ids_are_reported_as_renames():
    old = _manifest("1.0.0", {
        "pawe-adamowicz": ("Paweł Adamowicz", 4), "actor": ("Дмитрий", 395),
        "usa": ("United States", 9), "smith": ("Smith", 1), "smith-2": ("Smith", 1)})
    new = _manifest("1.1.0", {
        "pawel-adamowicz": ("Paweł Adamowicz", 5), "usa": ("United States", 9),
        "jones": ("Jones", 2), "smith-x": ("Smith", 1)})
    d = diff(old, new)
    assert d.actors_renamed == [("pawe-adamowicz", "pawel-adamowicz", "Paweł Adamowicz", 5)]
    assert [a for a, _, _ in d.actors_added] == ["jones", "smith-x"]  # 'Smith' is ambiguous
    assert [a for a, _, _ in d.actors_removed] == ["actor", "smith", "smith-2"]
    text = render(d)
    assert "Actor ids renamed: 1 (same name, new id); Paweł Adamowicz: `pawe-adamowicz` → " \
           "`pawel-adamowicz`." in text
    assert "Actors removed: 3" in text and "Actors added: 2" in text


def test_no_rename_without_change():
    same = _manifest("1.0.0", {"usa": ("United States", 9)})
    assert diff(same, same).actors_renamed == []
    assert diff(None, same).actors_renamed == []
