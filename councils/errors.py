"""The one error type for bad input: a list of problems, each naming where and what."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` counts lines as a spreadsheet shows them: the header is row 1, the first answer row 2.
    """

    file: str
    row: int | None
    column: str | None
    value: str
    expected: str

    def __str__(self) -> str:
        where = [printable(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{printable(self.column)}'")
        shown = f"value {self.value!r}" if self.value != "" else "empty value"
        return f"{', '.join(where)}: {shown}; expected {printable(self.expected)}"


def printable(text: str) -> str:
    """Control characters escaped, so that a hostile file name or column cannot drive the terminal."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class DataError(Exception):
    """Raised with every problem found, so that all of them can be shown at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ChapterFailed(Exception):
    """A chapter's cell raised, or the site did not build; the message names where."""
