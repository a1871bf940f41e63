"""Checks of the `source.json` fields that let users bring their own corpus: licence, columns.

Licences are single SPDX licence ids (`CC-BY-4.0`, checked against the SPDX licence list that
the `license-expression` package ships, and written back in the list's own spelling), custom
ids of the SPDX form `LicenseRef-<letters, digits, '.', '-'>` (the Voice of America stories are
`LicenseRef-PublicDomain-USGov`: US-government works have no SPDX id), or `NOASSERTION` (the
licence is not known; a release refuses such a source unless it is named with
`--allow-unlicensed`). Expressions (`MIT OR Apache-2.0`) are refused: each article carries one
licence in `articles.license`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

UNLICENSED = "NOASSERTION"
FIELDS = ("url", "date", "title", "text")
"""The fields of every input record; `columns` in source.json may rename them."""
COLUMN_FORMATS = ("csv", "wikinews-csv", "parquet", "jsonl")
"""Formats whose records have named columns (CSV header, Parquet schema, JSONL keys)."""
_LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+")


@lru_cache(maxsize=1)
def _spdx():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def check_license(value: str) -> str:
    """The licence id as written in SPDX's list, or ValueError saying what is expected."""
    value = value.strip()
    if value.upper() == UNLICENSED:
        return UNLICENSED
    if _LICENSE_REF.fullmatch(value):
        return value
    from license_expression import ExpressionError, LicenseSymbol

    hint = ("expected one SPDX licence id (e.g. CC-BY-4.0), a LicenseRef-... id (e.g. "
            f"LicenseRef-PublicDomain-USGov) or {UNLICENSED}")
    try:
        parsed = _spdx().parse(value, validate=True, strict=True)
    except ExpressionError as exc:
        raise ValueError(f"license {value!r}: {hint}; {exc}") from None
    if not isinstance(parsed, LicenseSymbol):
        raise ValueError(f"license {value!r}: {hint}, found an expression; each article "
                         "carries one licence")
    return parsed.key


def check_columns(value: Any, fmt: str) -> tuple[tuple[str, str | None], ...] | None:
    """`columns` of source.json as (field, column) pairs, or ValueError."""
    if value is None:
        return None
    if fmt not in COLUMN_FORMATS:
        raise ValueError(f"'columns' applies to the formats {', '.join(COLUMN_FORMATS)}, "
                         f"not {fmt!r}")
    if not isinstance(value, dict):
        raise ValueError(f"'columns' must map fields to column names, e.g. {{\"url\": "
                         f"\"link\"}}, found {type(value).__name__}")
    unknown = sorted(set(value) - set(FIELDS))
    if unknown:
        raise ValueError(f"'columns' maps unknown fields {unknown}; the fields are "
                         f"{', '.join(FIELDS)}")
    for field, column in value.items():
        if column is None and field == "title":
            continue
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"'columns': {field!r} must name a column (a non-empty string)"
                             + (" or be null (no title)" if field == "title" else ""))
    return tuple((f, value[f]) for f in FIELDS if f in value)
