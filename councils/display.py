"""Tables for the site and the PDF: full tables on wide screens and paper, one card per row on narrow screens.

Every table a chapter shows is written by :func:`table_html`. On a wide screen (and on paper) it is an
ordinary table. In a narrow column each row becomes a card: its first cell as the card's heading and
every other cell on a line of its own, after its column's name (the ``data-label`` of the cell,
drawn by ``_static/councils.css``), so that on a phone every number of every row is read without
scrolling sideways. The table keeps its semantics for assistive technology in both layouts (explicit
ARIA roles: a table whose cells are laid out as blocks loses its implicit roles in some browsers), and
the first cell of each row is its row header.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

# When a table turns into cards: below the narrow breakpoint (a phone) for tables of a few columns,
# below the wide one (a phone or a narrow tablet) for tables of many.
NARROW, WIDE = "narrow", "wide"
CARD_CLASSES = {NARROW: "councils-cards-narrow", WIDE: "councils-cards-wide"}
WIDE_FROM_COLUMNS = 7  # a table of this many columns or more turns into cards in the wider range too

_CODE = re.compile(r"<code>([^<]*)</code>")


def breakable_codes(cell: str) -> str:
    """Identifiers of the data format (``cooperation_municipal_board``) may break after an underscore."""
    return _CODE.sub(lambda m: "<code>" + m.group(1).replace("_", "_<wbr>") + "</code>", cell)


def _cell(value, escape: bool) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return html.escape(text) if escape else breakable_codes(text)


def _is_number(column: pd.Series) -> bool:
    """A column of numbers (counts, bases): right-aligned with tabular figures."""
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def table_html(frame: pd.DataFrame, classes: str | Iterable[str] = (), *, escape: bool = True,
               cards: str | None = None, caption: str | None = None) -> str:
    """``frame`` as an HTML table whose rows read as cards in a narrow column.

    ``classes`` are added to the table's own (``councils-table``); ``escape`` False takes cells as HTML
    (codes in ``<code>`` may then break after underscores). ``cards`` is when the rows turn into cards:
    ``"narrow"`` (a phone's column) or ``"wide"`` (up to a narrow tablet's); by default ``"wide"`` for
    tables of WIDE_FROM_COLUMNS columns or more. ``caption`` names the table for assistive technology
    and is shown above it.
    """
    if isinstance(classes, str):
        classes = classes.split()
    columns = [str(c) for c in frame.columns]
    cards = cards or (WIDE if len(columns) >= WIDE_FROM_COLUMNS else NARROW)
    if cards not in CARD_CLASSES:
        raise ValueError(f"cards must be {NARROW!r} or {WIDE!r}, not {cards!r}")
    numeric = [_is_number(frame.iloc[:, i]) for i in range(len(columns))]
    names = ["councils-table", CARD_CLASSES[cards], *classes]
    head = "\n".join(f'<th scope="col" role="columnheader"{_num(numeric[i])}>{html.escape(c)}</th>'
                   for i, c in enumerate(columns))
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for i, value in enumerate(values):
            label = html.escape(columns[i], quote=True)
            content = _cell(value, escape)
            if i == 0:
                cells.append(f'<th scope="row" role="rowheader" data-label="{label}">{content}</th>')
            else:
                cells.append(f'<td role="cell" data-label="{label}"{_num(numeric[i])}>{content}</td>')
        # A line per cell: Sphinx's search index takes a page's HTML outputs without their tags, and
        # cells run together would make one word of the end of one and the start of the next.
        rows.append('<tr role="row">\n' + "\n".join(cells) + "\n</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="councils-table-box"><table class="{" ".join(names)}" role="table">{caption_html}'
            f'<thead role="rowgroup"><tr role="row">\n{head}\n</tr></thead>\n'
            f'<tbody role="rowgroup">\n{chr(10).join(rows)}\n</tbody></table></div>')


def _num(numeric: bool) -> str:
    return ' class="councils-num"' if numeric else ""
