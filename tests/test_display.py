"""Tables of the site and the PDF (councils/display.py): the markup the stylesheet turns into cards on a phone.

How the tables look on a phone, a desktop and paper is tested in a browser (tests/test_browser.py) and
in the printed PDF (tests/test_pdf.py); here, what every table must carry for that.
"""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from councils.display import table_html


class Cells(HTMLParser):
    """The cells of a table as (tag, attributes, text), row by row, and the table's own attributes."""

    def __init__(self):
        super().__init__()
        self.rows, self.table, self._cell = [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, attrs, ""]
            self.rows[-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


def _parse(markup: str) -> Cells:
    cells = Cells()
    cells.feed(markup)
    return cells


# Figure 1 of the 2016 report: chairs from an association 16 of 30, politicians 8, civil servants 4.
FIGURE_1 = pd.DataFrame({"Answer": ["Represents an association", "Politician", "Civil servant"],
                         "Councils": [16, 8, 4], "Of": [30, 30, 30], "Share": ["53%", "27%", "13%"]})


def test_every_cell_carries_its_columns_name_and_the_first_is_the_rows_header():
    cells = _parse(table_html(FIGURE_1, "councils-numbers"))
    head, *body = cells.rows
    assert [(tag, attrs["scope"], text) for tag, attrs, text in head] == [
        ("th", "col", "Answer"), ("th", "col", "Councils"), ("th", "col", "Of"), ("th", "col", "Share")]
    assert len(body) == 3
    for row, (answer, count) in zip(body, [("Represents an association", "16"), ("Politician", "8"),
                                           ("Civil servant", "4")]):
        assert [(tag, attrs.get("scope"), attrs["data-label"]) for tag, attrs, _ in row] == [
            ("th", "row", "Answer"), ("td", None, "Councils"), ("td", None, "Of"), ("td", None, "Share")]
        assert [text for _, _, text in row] == [answer, count, "30", row[3][2]]


def test_roles_keep_the_table_a_table_when_its_cells_are_laid_out_as_blocks():
    markup = table_html(FIGURE_1)
    cells = _parse(markup)
    assert cells.table["role"] == "table"
    assert markup.count('role="rowgroup"') == 2 and markup.count('<tr role="row">') == 4
    roles = [attrs["role"] for row in cells.rows for _, attrs, _ in row]
    assert roles == ["columnheader"] * 4 + ["rowheader", "cell", "cell", "cell"] * 3


def test_numbers_are_marked_for_right_alignment_and_text_is_not():
    row = _parse(table_html(FIGURE_1)).rows[1]
    assert [attrs.get("class") for _, attrs, _ in row] == [None, "councils-num", "councils-num", None]


@pytest.mark.parametrize("columns, expected", [(4, "councils-cards-narrow"), (6, "councils-cards-narrow"),
                                               (7, "councils-cards-wide"), (8, "councils-cards-wide")])
def test_tables_of_many_columns_turn_into_cards_on_wider_screens_too(columns, expected):
    frame = pd.DataFrame({f"c{i}": ["x"] for i in range(columns)})
    assert _parse(table_html(frame)).table["class"].split()[:2] == ["councils-table", expected]
    assert "councils-cards-narrow" in table_html(frame, cards="narrow")
    with pytest.raises(ValueError, match="cards must be"):
        table_html(frame, cards="sideways")


def test_text_is_escaped_unless_the_caller_gives_html():
    frame = pd.DataFrame({"Council": ["r001"], "Answer": ['<script>alert("x")</script> & more']})
    markup = table_html(frame)
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&amp; more" in markup
    coded = table_html(pd.DataFrame({"Question": ["<code>cooperation_municipal_board</code>"]}), escape=False)
    assert "<code>cooperation_<wbr>municipal_<wbr>board</code>" in coded, "codes may break after an underscore"


def test_cells_are_on_lines_of_their_own_so_that_the_search_index_keeps_their_words_apart():
    """Sphinx indexes an HTML output with its tags stripped: cells run together would fuse words."""
    text = re.sub(r"<[^<]+?>", "", table_html(FIGURE_1))
    words = set(re.findall(r"\w+", text))
    assert {"servant", "Politician", "association", "Councils", "Share"} <= words
    assert not any(w.startswith("servant") and w != "servant" for w in words)
