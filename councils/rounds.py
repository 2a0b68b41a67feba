"""Find a survey round and read its files: metadata, published counts or respondent-level answers.

A round is named by an id (the pattern of ``round`` in ``data/round.schema.json``), never by a path.
Reading never changes a file, never follows a link out of the round's folder, and turns every
defect of a file into a Problem. Spreadsheet exports are accepted in UTF-8 (with or without BOM),
UTF-16 (with BOM, or without one when the header shows it) or Windows-1252, separated by commas,
semicolons or tabs; limits on sizes are below.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from councils.errors import DataError, Problem, schema_problems
from councils.errors import _show as _quoted
from councils.paths import DATA_DIR, ROUNDS_DIR

METADATA_FILE = "round.yaml"
COUNTS_FILE = "counts.csv"
RESPONSES_FILE = "responses.csv"
# A respondent-level round's data file may come as the vendor sent it (councils/vendor.py reads the others).
RESPONSES_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".ods", ".sav")
ROUND_SCHEMA_PATH = DATA_DIR / "round.schema.json"
DELIMITERS = (",", ";", "\t")

# Limits, documented in data/README.md. Real metadata is about 1 KB and a real round about 100 rows
# (20 KB); the data limit leaves room for the 100,000-row scale benchmark (about 20 MB).
MAX_METADATA_BYTES = 64 * 1024
MAX_DATA_BYTES = 64 * 1024 * 1024
MAX_FIELD_CHARS = 32_767  # the most a spreadsheet cell holds (Excel), so no real export has more
ENCODINGS_TRIED = ("UTF-8, UTF-16 (with a byte-order mark, or without one when the header shows it) "
                   "and Windows-1252 (cp1252)")

# UTF-8 text that was decoded as Windows-1252 and saved again (æ ø å Æ Ø Å). ftfy misses "Ã…" (Å),
# whose second character is an ellipsis, so these stay beside it.
MOJIBAKE = ("Ã¦", "Ã¸", "Ã¥", "Ã†", "Ã˜", "Ã…")
# A UTF-8 lead byte followed by a continuation byte, both read as Windows-1252: every UTF-8 text
# decoded that way has it, correct Danish text almost never. Cheap, so it guards the ftfy import.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6"
                            "\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014"
                            "\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0, 9), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
# UTF-8 bytes of Latin-1 letters and signs (Ã…, Â…) and of dashes and quotes (â€…): in a Windows-1252
# file they would read as mojibake, so a file holding them beside non-UTF-8 bytes mixes encodings.
# Any other UTF-8 sequence also occurs in correct Windows-1252 ("FANØ”" is D8 94).
_UTF8_SEQUENCE = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x90-\xbf]")
_LINE_END = re.compile(r"\r\n|\r|\n")
# Binary formats a survey vendor might send under a .csv name: (magic bytes, what to say).
_SAVE_AS_CSV = "save it as CSV (in the spreadsheet program: Save As, CSV UTF-8)"
_RENAME = "name it {name} (workbooks are read as they are), or {save}"
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", f"this is an .xls file; {_SAVE_AS_CSV}"),
    (b"%PDF", "this is a PDF document, not CSV; ask for the responses as a CSV file"),
    (b"\x1f\x8b", "this is a gzip-compressed file, not CSV; unpack it first"),
)


@dataclass(frozen=True)
class CsvText:
    """A delimited file read as text: header, rows keyed by spreadsheet row number, how it was read."""

    path: Path
    header: list[str]
    rows: dict[int, list[str]]
    encoding: str
    delimiter: str


@dataclass(frozen=True)
class Round:
    """One survey round: its folder and its metadata."""

    id: str
    path: Path
    meta: dict = field(hash=False)

    @property
    def kind(self) -> str:
        return self.meta["data"]

    @property
    def data_file(self) -> Path:
        if self.kind == "published_counts":
            return self.path / COUNTS_FILE
        found = responses_files(self.path)
        return found[0] if found else self.path / RESPONSES_FILE

    @property
    def files(self) -> list[Path]:
        """The files the round's numbers come from, in a stable order."""
        return [self.path / METADATA_FILE, self.data_file]

    @property
    def fictional(self) -> bool:
        return bool(self.meta.get("fictional"))

    @property
    def population(self) -> int:
        """Number of councils the questionnaire went to: the population the intervals speak about."""
        return int(self.meta["councils_asked"])

    def title(self, lang: str = "en") -> str:
        return self.meta[f"title_{lang}"]


def responses_files(folder: Path) -> list[Path]:
    """The responses files of a round folder (responses.csv, .xlsx, .xlsm, .ods or .sav), in that order."""
    return [folder / f"responses{suffix}" for suffix in RESPONSES_SUFFIXES
            if (folder / f"responses{suffix}").exists() or (folder / f"responses{suffix}").is_symlink()]


# --- round ids and folders --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def round_id_pattern() -> re.Pattern:
    """The pattern of ``round`` in data/round.schema.json, the one definition of a round id."""
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    return re.compile(schema["properties"]["round"]["pattern"])


def round_id_problem(value: object, file: str, column: str | None = None) -> Problem | None:
    """A Problem when ``value`` is not a round id; ``fullmatch`` so that a trailing newline fails too."""
    if isinstance(value, str) and round_id_pattern().fullmatch(value):
        return None
    shown = value if isinstance(value, str) else repr(value)
    return Problem(file, None, column, _show(shown),
                   f"a round id matching {round_id_pattern().pattern} (letters, digits, '-' and '_'), "
                   "the name of a round folder: a round is a name, never a path "
                   "(to read rounds from another folder, pass --data DIR)")


def round_dir(round_id: str, data_dir: Path | str | None = None) -> Path:
    """Folder of a round: ``<data_dir>/<round_id>``, by default under ``data/rounds``.

    DataError when ``round_id`` is not a round id, before anything is read.
    """
    round_id = str(round_id) if isinstance(round_id, int) and not isinstance(round_id, bool) else round_id
    problem = round_id_problem(round_id, "round id")
    if problem:
        raise DataError([problem])
    return Path(data_dir or ROUNDS_DIR) / round_id


def available_rounds(data_dir: Path | str | None = None) -> list[str]:
    """Ids of the rounds that have a metadata file, sorted as strings."""
    base = Path(data_dir or ROUNDS_DIR)
    return sorted(p.parent.name for p in base.glob(f"*/{METADATA_FILE}"))


def load_round(round_id: str, data_dir: Path | str | None = None) -> Round:
    """Find a round by id; DataError names the id, folder or field that is wrong."""
    path = round_dir(round_id, data_dir)
    base = Path(data_dir or ROUNDS_DIR)
    if path.is_symlink() and (why := _link_problem(path, base)):
        raise DataError([Problem(str(path), None, None, "", f"a round folder inside {base} ({why})",
                                 message=_link_message(why, "the round folder", f"the data folder {base}"))])
    if not path.is_dir():
        known = ", ".join(available_rounds(data_dir)) or "none"
        raise DataError([Problem(str(path), None, None, str(round_id), f"an existing round folder (known rounds: {known})",
                                 message=f"there is no round '{round_id}' (known rounds: {known})")])
    meta, problems = read_metadata(path / METADATA_FILE)
    if problems:
        raise DataError(problems)
    return Round(id=str(round_id), path=path, meta=meta)


# --- reading a round's files -----------------------------------------------------------------------

def _link_problem(path: Path, folder: Path) -> str | None:
    """Why ``path`` may not be opened as part of ``folder`` (a link leading outside it, or looping), or None."""
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a link loop
        return "this is a symbolic link that loops; it was not read"
    return None if inside else "this is a symbolic link leading outside it; it was not read"


def _link_message(why: str, what: str, inside: str) -> str:
    """A refused link in one sentence: 'the file is a symbolic link leading outside the round folder; ...'."""
    if "loops" in why:
        return f"{what} is a symbolic link that loops; it was not read"
    return f"{what} is a symbolic link leading outside {inside}; it was not read"


def read_round_file(path: Path, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a file of a round folder, or why not: a link out of the folder, not a file, too large.

    A link leading outside the folder is refused before its target is opened.
    """
    path = Path(path)
    if why := _link_problem(path, path.parent):
        return None, [Problem(str(path), None, None, "", f"a file inside the round folder ({why})",
                              message=_link_message(why, "the file", "the round folder"))]
    if not path.is_file():
        return None, [Problem(str(path), None, None, "", "an existing regular file",
                              message="the file is missing" if not path.exists() else
                              "this is a folder or a special file, not a regular file")]
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [Problem(str(path), None, None, "", f"a file of at most {_size(limit)} "
                                  f"(this one has {_size(size)}; it was not read)",
                                  message=f"the file has {_size(size)}, more than the {_size(limit)} it may have; "
                                          "it was not read")]
        with path.resolve().open("rb") as handle:
            raw = handle.read(limit + 1)  # bounded, in case the file grew since stat
    except OSError as exc:
        return None, [Problem(str(path), None, None, "", f"a readable file ({exc.strerror or type(exc).__name__})",
                              message=f"the file could not be read ({exc.strerror or type(exc).__name__})")]
    if len(raw) > limit:
        return None, [Problem(str(path), None, None, "", f"a file of at most {_size(limit)} (it was not read)",
                              message=f"the file grew past {_size(limit)} while it was read; it was not read")]
    return raw, []


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases: metadata needs none, and they make 'billion laughs'."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "an alias (*name), which a round's YAML files may not use",
                                              event.start_mark)
        return super().compose_node(parent, index)


def read_yaml(path: Path, name: str, limit: int = MAX_METADATA_BYTES) -> tuple[object | None, list[Problem]]:
    """A round's YAML file (``name`` for messages) read safely: size and links checked, UTF-8, no aliases."""
    raw, problems = read_round_file(path, limit)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(str(path), line, None, f"0x{raw[exc.start]:02X}",
                              f"UTF-8 text (this byte is not UTF-8; save {name} as UTF-8)",
                              message=f"byte 0x{raw[exc.start]:02X} is not UTF-8; save {name} as UTF-8")]
    try:
        return yaml.load(text, Loader=_NoAliasLoader), []  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(str(path), mark.line + 1 if mark else None, None, "",
                              f"readable YAML ({exc.problem or exc.context})",
                              message=f"this is not readable YAML: {exc.problem or exc.context}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:  # ValueError: a number of 4,300+ digits
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
        return None, [Problem(str(path), None, None, "", f"readable YAML ({reason})",
                              message=f"this is not readable YAML: {reason}")]


def yaml_lines(path: Path) -> dict[tuple, int]:
    """Line of every mapping key and list item of a YAML file, by its path of keys and indexes (for messages)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=_NoAliasLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        return {}
    lines: dict[tuple, int] = {}

    def walk(n, where: tuple) -> None:
        lines[where] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                lines[where + (key.value,)] = key.start_mark.line + 1
                walk(value, where + (key.value,))
                lines[where + (key.value,)] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, where + (i,))

    if node is not None:
        walk(node, ())
    return lines


def read_metadata(path: Path) -> tuple[dict | None, list[Problem]]:
    """Read and check ``round.yaml`` against ``data/round.schema.json``."""
    import jsonschema

    if not path.exists() and not path.is_symlink():
        return None, [Problem(str(path), None, None, "", f"a metadata file {METADATA_FILE} in the round's folder",
                              message=f"the round's folder has no {METADATA_FILE}; every round needs one "
                                      "(data/README.md lists its fields)")]
    meta, problems = read_yaml(path, METADATA_FILE)
    if problems:
        return None, problems
    if not isinstance(meta, dict):
        return None, [Problem(str(path), None, None, _show(meta), "a mapping of metadata fields",
                              message=f"the file holds {_quoted(meta)} instead of fields; expected one "
                                      "'name: value' a line, such as 'round: \"2016\"'")]
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    problems = []
    for err in jsonschema.Draft202012Validator(schema).iter_errors(meta):
        column = "/".join(str(p) for p in err.absolute_path) or None
        if column == "round" and not isinstance(meta.get("round"), str):
            expected = 'a quoted string such as "2016" (round ids are never numbers)'
        elif column in ("round", "previous_round") and err.validator == "pattern":
            expected = round_id_problem(err.instance, "").expected
        elif err.validator == "not" and "description" in err.schema:  # a field this kind of round may not have
            problems.append(Problem(str(path), None, column, _show(err.instance),
                                    f"no {column} field: {err.schema['description']}",
                                    message=f"field '{column}' may not be set: {err.schema['description']}"))
            continue
        else:
            problems += schema_problems(str(path), err, METADATA_FILE)
            continue
        problems.append(Problem(str(path), None, column, _show(err.instance), expected,
                                message=f"field '{column}' is {_quoted(err.instance)}; expected {expected}"))
    previous = meta.get("previous_round")
    if isinstance(previous, str) and not any(p.column == "previous_round" for p in problems):
        problem = round_id_problem(previous, str(path), "previous_round")
        if problem:
            problems.append(problem)
    if not problems and meta["round"] != path.parent.name:
        problems.append(Problem(str(path), None, "round", meta["round"],
                                f"the name of the round's folder, '{path.parent.name}'",
                                message=f"field 'round' is '{meta['round']}', but the round's folder is named "
                                        f"'{path.parent.name}'; the two must be the same"))
    return (meta if not problems else None), problems


def _decode(path: Path, raw: bytes) -> tuple[str | None, str, list[Problem]]:
    """Decode a spreadsheet export; return (text, encoding, problems)."""
    def problem(expected: str, row: int | None = None, value: str = "",
                message: str | None = None) -> tuple[None, str, list[Problem]]:
        return None, "", [Problem(str(path), row, None, value, expected, message=message)]

    if raw.startswith(b"PK\x03\x04"):
        return problem(f"a CSV text file; {_zip_kind(raw)}", message=f"not a CSV text file: {_zip_kind(raw)}")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return problem(f"a CSV text file; {what}", message=f"not a CSV text file: {what}")
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return problem("a CSV file in UTF-8, UTF-16 or Windows-1252; this one is UTF-32 "
                       "(by its byte-order mark): save it as CSV UTF-8",
                       message="this file is UTF-32 (by its byte-order mark), which is not read; save it as CSV "
                               "UTF-8 (UTF-8, UTF-16 and Windows-1252 are read)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(path, raw[2:], "utf-16-le" if raw[0] == 0xFF else "utf-16-be", "utf-16")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _decode_utf16(path, raw, utf16, f"{utf16} (no byte-order mark)")
    head = raw[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls and controls >= len(head) // 20:  # text has none; 5 % leaves no doubt
        why = f"{controls} of its first {len(head)} bytes are control bytes such as NUL"
        return problem(f"a CSV text file; this file holds binary data ({why}), not text: export the responses "
                       "again as CSV", message=f"this file holds binary data ({why}), not text; export the "
                                              "responses again as CSV")
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    line = raw.count(b"\n", 0, utf8_error.start) + 1
    byte = f"0x{raw[utf8_error.start]:02X}"
    if utf8_error.end == len(raw) and "unexpected end" in utf8_error.reason:
        return problem("complete UTF-8 text: the file ends in the middle of a character, so it looks "
                       "truncated; export it again", line, byte,
                       message=f"the file ends in the middle of a character (byte {byte}), so it looks "
                               "truncated; export it again")
    if _UTF8_SEQUENCE.search(raw):
        return problem(f"one encoding for the whole file: it holds UTF-8 letters, but byte {byte} on this "
                       f"line is not UTF-8 (a mix of UTF-8 and Windows-1252?); export it again as CSV UTF-8",
                       line, byte, message=f"byte {byte} on this line is not UTF-8, although the file holds UTF-8 "
                                           "letters elsewhere: it mixes UTF-8 and Windows-1252 (one encoding "
                                           "for the whole file, please); export it again as CSV UTF-8")
    try:
        return raw.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError as exc:
        cp1252_byte = f"0x{raw[exc.start]:02X}"
        why = (f"byte {byte} on line {line} is not UTF-8, and byte {cp1252_byte} on this line is not "
               "Windows-1252")
        return problem(f"text in one of the encodings tried, {ENCODINGS_TRIED}: {why}; export the "
                       "file again as CSV UTF-8", raw.count(b"\n", 0, exc.start) + 1, cp1252_byte,
                       message=f"this file is in none of the encodings tried, {ENCODINGS_TRIED}: {why}; "
                               "export it again as CSV UTF-8")


def _zip_kind(raw: bytes) -> str:
    """Which spreadsheet a zip archive is, by the names and mimetype its first entries carry."""
    if raw[30:38] == b"mimetype" and b"opendocument.spreadsheet" in raw[38:120]:
        return "this is an .ods file; " + _RENAME.format(name="responses.ods", save=_SAVE_AS_CSV)
    if b"xl/" in raw:
        return "this is an .xlsx file; " + _RENAME.format(name="responses.xlsx", save=_SAVE_AS_CSV)
    if b"Index/Document.iwa" in raw:
        return "this is a .numbers file (Apple Numbers); export it as CSV"
    return "this is a zip archive, not CSV; unpack it, or save the spreadsheet as CSV"


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes are UTF-16 without a byte-order mark.

    The header row is ASCII column names, so UTF-16 shows as a NUL byte beside every character;
    text in any other accepted encoding holds no NUL byte at all.
    """
    head = raw[:2048]
    if b"\x00" not in head or len(head) < 4:
        return None
    head = head[:len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    if even.count(0) == 0 and odd.count(0) >= 0.9 * len(odd):
        return "utf-16-le"
    if odd.count(0) == 0 and even.count(0) >= 0.9 * len(even):
        return "utf-16-be"
    return None


def _decode_utf16(path: Path, body: bytes, codec: str, name: str) -> tuple[str | None, str, list[Problem]]:
    if len(body) % 2:
        line = body[:-1].decode(codec, errors="replace").count("\n") + 1
        return None, name, [Problem(str(path), line, None, "", f"complete {name} text: the file has an odd "
                                    "number of bytes, so its last character is cut off (it looks truncated; "
                                    "export it again)",
                                    message=f"the file has an odd number of bytes, so its last {name} character "
                                            "is cut off: it looks truncated; export it again")]
    try:
        return body.decode(codec), name, []
    except UnicodeDecodeError as exc:
        line = body[:exc.start].decode(codec, errors="replace").count("\n") + 1
        return None, name, [Problem(str(path), line, None, "", f"valid {name} text ({exc.reason} at byte "
                                    f"{exc.start}); the file looks truncated or damaged: export it again",
                                    message=f"this is not valid {name} text ({exc.reason} at byte {exc.start}); "
                                            "the file looks truncated or damaged: export it again")]


def _pick_delimiter(header_line: str) -> str:
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _field_problems(path: Path, row: int, fields: list[str], header: list[str], mojibake: bool,
                    controls: bool) -> list[Problem]:
    """Problems inside single fields: too long, control characters, text decoded twice."""
    problems = []
    for index, value in enumerate(fields):
        column = header[index] if len(fields) == len(header) and row > 1 else f"column {index + 1}"
        if len(value) > MAX_FIELD_CHARS:
            problems.append(Problem(str(path), row, column, f"{len(value)} characters",
                                    f"at most {MAX_FIELD_CHARS:,} characters in one field, as a spreadsheet "
                                    "cell holds (is a quote left open above it?)",
                                    message=f"column '{column}' holds {len(value):,} characters, more than the "
                                            f"{MAX_FIELD_CHARS:,} a spreadsheet cell holds (is a quote left open "
                                            "above it?)"))
            continue
        if controls and (hit := _CONTROL.search(value)):
            problems.append(Problem(str(path), row, column, _show(value),
                                    f"text without control characters (found U+{ord(hit.group()):04X}); "
                                    "the file may be damaged"))
        if mojibake and (word := _mojibake_word(value)):
            from ftfy import fix_encoding

            problems.append(Problem(str(path), row, column, word,
                                    f"each letter written once: {word!r} reads {fix_encoding(word)!r} when "
                                    "decoded once, so the file looks UTF-8 encoded twice (saved through a "
                                    "program that read it as Windows-1252); export it again as UTF-8"))
    return problems


def _mojibake_word(value: str) -> str | None:
    """The word of ``value`` that looks like UTF-8 decoded as Windows-1252, or None."""
    hint = _MOJIBAKE_HINT.search(value)
    if not hint:
        return None
    if not any(bad in value for bad in MOJIBAKE):
        from ftfy.badness import is_bad  # imported here: 50 ms, paid only when a file looks suspicious

        if not is_bad(value):
            return None
    start = value.rfind(" ", 0, hint.start()) + 1
    end = value.find(" ", hint.end())
    word = value[start:end if end >= 0 else len(value)]
    return word if len(word) <= 40 else value[hint.start():hint.start() + 10]


def read_csv_text(path: Path, expected_columns: int | None = None) -> tuple[CsvText | None, list[Problem]]:
    """Read a delimited file as strings, keyed by spreadsheet row number (header = row 1)."""
    raw, problems = read_round_file(path, MAX_DATA_BYTES)
    if raw is None:
        return None, problems
    text, encoding, problems = _decode(path, raw)
    if problems:
        return None, problems
    if not text.strip():  # after decoding: a file holding only a byte-order mark is empty too
        return None, [Problem(str(path), None, None, "", "a header row and at least one data row (the file is empty)",
                              message="the file is empty; expected a header row and at least one data row")]
    first_line = _LINE_END.split(text.lstrip("\r\n"), maxsplit=1)[0]
    delimiter = _pick_delimiter(first_line)
    # Whole-text searches first, so that the per-field checks cost nothing on a clean file.
    mojibake = _MOJIBAKE_HINT.search(text) is not None
    controls = _CONTROL.search(text) is not None
    # strict: an unclosed quote is an error, not a field that silently swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_limit = csv.field_size_limit(MAX_DATA_BYTES)  # fields are limited below, by row and column
    try:
        return _read_records(path, reader, first_line, delimiter, encoding, expected_columns, mojibake, controls)
    finally:
        csv.field_size_limit(previous_limit)


def _read_records(path, reader, first_line, delimiter, encoding, expected_columns, mojibake, controls):
    try:
        header = [h.strip() for h in next(reader)]
    except (csv.Error, StopIteration) as exc:
        return None, [Problem(str(path), 1, None, _show(first_line), f"a readable header row ({exc})")]
    if len(header) == 1 and (expected_columns or 2) > 1:
        return None, [Problem(str(path), 1, None, _show(first_line),
                              "columns separated by comma, semicolon or tab")]
    header_problems = _field_problems(path, 1, header, header, mojibake, controls)
    header_problems += [Problem(str(path), 1, f"column {i}", "", "a column name in the first row",
                                message=f"column {i} has no name in the header; every column needs one")
                        for i, name in enumerate(header, start=1) if not name]
    header_problems += [Problem(str(path), 1, name, name, "each column name only once",
                                message=f"column '{name}' appears {header.count(name)} times in the header; "
                                        "each column name may appear only once")
                        for name in sorted({h for h in header if h and header.count(h) > 1})]
    if header_problems:
        return None, header_problems
    rows: dict[int, list[str]] = {}
    problems = []
    row_no = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_no += 1
            if "unexpected end of data" in str(exc):
                problems.append(Problem(str(path), row_no, None, "", 'a closing quote (") for the quote opened '
                                        "in this row: the file ends inside a quoted field",
                                        message='a quote (") opened in this row is never closed: the file ends '
                                                "inside a quoted field (a missing closing quote)"))
                break
            problems.append(Problem(str(path), row_no, None, "", f"well-formed CSV quoting ({exc}): a quoted "
                                    f"field ends with a quote followed by {delimiter!r} or the end of the line",
                                    message=f"the quoting of this row is broken ({exc}); expected well-formed CSV "
                                            f"quoting, where a quoted field ends with a quote followed by "
                                            f"{delimiter!r} or the end of the line"))
            continue
        row_no += 1
        if not fields or all(f.strip() == "" for f in fields):
            continue
        if sum(map(len, fields)) > MAX_FIELD_CHARS or controls or mojibake:
            field_problems = _field_problems(path, row_no, fields, header, mojibake, controls)
            if field_problems:
                problems += field_problems
                continue
        if len(fields) != len(header):
            hint = " (a field spans several lines: is a quote left open?)" if any("\n" in f for f in fields) else ""
            problems.append(Problem(str(path), row_no, None, delimiter.join(fields)[:60],
                                    f"{len(header)} fields as in the header, found {len(fields)}{hint}",
                                    message=f"this row has {len(fields)} field{'s' if len(fields) != 1 else ''} and the header "
                                            f"{len(header)}{hint}; "
                                            f"the row begins {delimiter.join(fields)[:60]!r}"))
            continue
        rows[row_no] = [f.strip() for f in fields]
    if not rows and not problems:
        problems.append(Problem(str(path), None, None, "", "at least one data row below the header",
                                message="the file has a header but no data rows; expected at least one"))
    return CsvText(path, header, rows, encoding, delimiter), problems


def file_digest(path: Path) -> str:
    """SHA-256 of a round file's bytes, as hex; DataError for a link leading out of its folder."""
    path = Path(path)
    if why := _link_problem(path, path.parent):
        raise DataError([Problem(str(path), None, None, "", f"a file inside the round folder ({why})",
                                 message=_link_message(why, "the file", "the round folder"))])
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
