"""Find a survey round and read its files: metadata, published counts or respondent-level answers.

Reading never changes a file. Spreadsheet exports are accepted in UTF-8 (with or without BOM),
UTF-16 with BOM, or Windows-1252, separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from councils.codebook import DATA_DIR
from councils.errors import DataError, Problem

ROUNDS_DIR = DATA_DIR / "rounds"
METADATA_FILE = "round.yaml"
COUNTS_FILE = "counts.csv"
RESPONSES_FILE = "responses.csv"
ROUND_SCHEMA_PATH = DATA_DIR / "round.schema.json"
DELIMITERS = (",", ";", "\t")
# Bytes that UTF-8 text takes when it was decoded as Windows-1252 and saved again (æ ø å Æ Ø Å).
MOJIBAKE = ("Ã¦", "Ã¸", "Ã¥", "Ã†", "Ã˜", "Ã…")


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
        return self.path / (COUNTS_FILE if self.kind == "published_counts" else RESPONSES_FILE)

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


def round_dir(round_id: str, data_dir: Path | str | None = None) -> Path:
    """Folder of a round: ``<data_dir>/<round_id>``, by default under ``data/rounds``."""
    return Path(data_dir or ROUNDS_DIR) / str(round_id)


def available_rounds(data_dir: Path | str | None = None) -> list[str]:
    """Ids of the rounds that have a metadata file, sorted as strings."""
    base = Path(data_dir or ROUNDS_DIR)
    return sorted(p.parent.name for p in base.glob(f"*/{METADATA_FILE}"))


def read_metadata(path: Path) -> tuple[dict | None, list[Problem]]:
    """Read and check ``round.yaml`` against ``data/round.schema.json``."""
    import jsonschema

    if not path.is_file():
        return None, [Problem(str(path), None, None, "", f"a metadata file {METADATA_FILE} in the round's folder")]
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [Problem(str(path), None, None, "", f"readable UTF-8 YAML ({type(exc).__name__}: {exc})")]
    if not isinstance(meta, dict):
        return None, [Problem(str(path), None, None, _show(meta), "a mapping of metadata fields")]
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    problems = []
    for err in jsonschema.Draft202012Validator(schema).iter_errors(meta):
        column = "/".join(str(p) for p in err.absolute_path) or None
        expected = err.message
        if column == "round" and not isinstance(meta.get("round"), str):
            expected = 'a quoted string such as "2016" (round ids are never numbers)'
        problems.append(Problem(str(path), None, column, _show(err.instance) if column else "", expected))
    if not problems and meta["round"] != path.parent.name:
        problems.append(Problem(str(path), None, "round", meta["round"],
                                f"the name of the round's folder, '{path.parent.name}'"))
    return (meta if not problems else None), problems


def load_round(round_id: str, data_dir: Path | str | None = None) -> Round:
    """Find a round by id; DataError names the folder or field that is wrong."""
    path = round_dir(round_id, data_dir)
    if not path.is_dir():
        known = ", ".join(available_rounds(data_dir)) or "none"
        raise DataError([Problem(str(path), None, None, str(round_id), f"an existing round folder (known rounds: {known})")])
    meta, problems = read_metadata(path / METADATA_FILE)
    if problems:
        raise DataError(problems)
    return Round(id=str(round_id), path=path, meta=meta)


def _decode(path: Path, raw: bytes) -> tuple[str | None, str, list[Problem]]:
    """Decode a spreadsheet export; return (text, encoding, problems)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16", []
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError as exc:
            return None, "", [Problem(str(path), None, None, repr(raw[exc.start:exc.end]),
                                      "text encoded as UTF-8 or Windows-1252 (cp1252)")]
    for line_no, line in enumerate(text.splitlines(), start=1):
        for bad in MOJIBAKE:
            if bad in line:
                return None, encoding, [Problem(
                    str(path), line_no, None, bad,
                    "æ, ø and å written once: the file looks UTF-8 encoded twice (saved through a "
                    "program that read it as Windows-1252); export it again as UTF-8")]
    return text, encoding, []


def _pick_delimiter(header_line: str) -> str:
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def read_csv_text(path: Path, expected_columns: int | None = None) -> tuple[CsvText | None, list[Problem]]:
    """Read a delimited file as strings, keyed by spreadsheet row number (header = row 1)."""
    if not path.is_file():
        return None, [Problem(str(path), None, None, "", "an existing file")]
    raw = path.read_bytes()
    text, encoding, problems = _decode(path, raw)
    if problems:
        return None, problems
    if not text.strip():  # after decoding: a file holding only a byte-order mark is empty too
        return None, [Problem(str(path), None, None, "", "a header row and at least one data row (the file is empty)")]
    first_line = text.splitlines()[0]
    delimiter = _pick_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    if len(header) == 1 and (expected_columns or 2) > 1:
        return None, [Problem(str(path), 1, None, first_line[:60],
                              "columns separated by comma, semicolon or tab")]
    header_problems = [Problem(str(path), 1, f"column {i}", "", "a column name in the first row")
                       for i, name in enumerate(header, start=1) if not name]
    header_problems += [Problem(str(path), 1, name, name, "each column name only once")
                        for name in sorted({h for h in header if h and header.count(h) > 1})]
    if header_problems:
        return None, header_problems
    rows: dict[int, list[str]] = {}
    problems = []
    row_no = 1
    for fields in reader:
        row_no += 1
        if not fields or all(f.strip() == "" for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(Problem(str(path), row_no, None, delimiter.join(fields)[:60],
                                    f"{len(header)} fields as in the header, found {len(fields)}"))
            continue
        rows[row_no] = [f.strip() for f in fields]
    if not rows and not problems:
        problems.append(Problem(str(path), None, None, "", "at least one data row below the header"))
    return CsvText(path, header, rows, encoding, delimiter), problems


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
