"""The one error type for bad input: a list of problems, each naming where and what."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` counts lines as a spreadsheet shows them: the header is row 1, the first answer row 2.
    ``value`` is what was found ("" when there is no single value to show) and ``expected`` what
    was wanted; ``message``, when given, is the whole sentence a reader sees after the file and row,
    and names the column or field itself ("column 'influence' is missing").
    """

    file: str
    row: int | None
    column: str | None
    value: str
    expected: str
    message: str | None = None

    def __str__(self) -> str:
        where = [printable(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.message:
            return f"{', '.join(where)}: {printable(self.message)}"
        if self.column is not None:
            where.append(f"column '{printable(self.column)}'")
        if self.value == "":  # nothing to show: saying "empty value" would claim a cell was empty
            return f"{', '.join(where)}: expected {printable(self.expected)}"
        return f"{', '.join(where)}: value {self.value!r}; expected {printable(self.expected)}"


def printable(text: str) -> str:
    """Control characters escaped, so that a hostile file name or column cannot drive the terminal."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def did_you_mean(name: str, known) -> str:
    """'; did you mean 'respondents_en'?' for the closest known name, or '' when none is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# What a JSON Schema type asks for, in words.
TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "text (in quotes if it looks like a "
              "number or a date)", "boolean": "true or false", "object": "fields, one 'name: value' a line",
              "array": "a list", "null": "null (nothing)"}


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_expected(error) -> str:
    """What a failed JSON Schema check wanted, in words (``error`` from jsonschema's iter_errors)."""
    kind, wanted = error.validator, error.validator_value
    if kind == "type":
        types = [wanted] if isinstance(wanted, str) else list(wanted)
        return " or ".join(TYPE_WORDS.get(t, t) for t in types)
    if kind == "enum":
        return "one of " + ", ".join(str(v) for v in wanted)
    if kind == "const":
        return repr(wanted)
    if kind == "minimum":
        return f"a number of at least {wanted}"
    if kind == "maximum":
        return f"a number of at most {wanted}"
    if kind == "minLength":
        return "some text (it may not be empty)" if wanted == 1 else f"text of at least {wanted} characters"
    if kind == "minItems":
        return f"a list of at least {wanted} items"
    if kind == "pattern":
        return f"text matching {wanted}"
    if kind == "oneOf" and all(set(s) == {"required"} for s in wanted):
        fields = [f"'{name}'" for s in wanted for name in s["required"]]
        return f"exactly one of the fields {', '.join(fields)}"
    return error.message if len(error.message) <= 200 else error.message[:197] + "..."


def schema_problems(file: str, error, name: str) -> list[Problem]:
    """One JSON Schema error of a YAML file as problems in words.

    An unknown field is named with the closest known one ("unknown field 'respondants' in round.yaml;
    did you mean 'respondents_en'?"), a missing one by its name, a wrong value with what the field
    takes. ``name`` is how the message names the file ("round.yaml").
    """
    path = "/".join(str(p) for p in error.absolute_path)
    inside = f"{name}" if not path else f"{path} of {name}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        return [Problem(file, None, f"{path}/{key}" if path else key, str(key), "a field the schema defines",
                        message=f"unknown field '{key}' in {inside}"
                                + (did_you_mean(str(key), known) or f" (its fields: {', '.join(known)})"))
                for key in error.instance if key not in known]
    if error.validator == "required" and isinstance(error.instance, dict):
        problems = []
        for key in (k for k in error.validator_value if k not in error.instance):
            about = error.schema.get("properties", {}).get(key, {}).get("description")
            problems.append(Problem(file, None, f"{path}/{key}" if path else key, "", f"a field '{key}'",
                                    message=f"field '{key}' is missing from {inside}; it is required"
                                            + (f" ({about.rstrip('.')})" if about else "")))
        return problems
    expected = schema_expected(error)
    where = f"field '{path}'" if path else name
    if error.instance == "" and error.validator == "minLength":
        return [Problem(file, None, path or None, "", expected, message=f"{where} is empty; expected {expected}")]
    return [Problem(file, None, path or None, _show(error.instance), expected,
                    message=f"{where} is {_show(error.instance)}; expected {expected}")]


class DataError(Exception):
    """Raised with every problem found, so that all of them can be shown at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ChapterFailed(Exception):
    """A chapter's cell raised, or the site did not build; the message names where."""
