"""The CSV downloads as each edition's readers open them, the round's spreadsheet read back with openpyxl, and the
data package checked by `frictionless validate`: every count and share against the round's frequency table.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from councils import downloads
from councils.codebook import load_codebook
from councils.datapackage import write_datapackage
from councils.rounds import load_round
from councils.site import provenance
from councils.spreadsheet import write_spreadsheet
from councils.tables import comparison_table, frequency_table
from councils.validate import load_checked

CODEBOOK = load_codebook()


def context(round_id: str, lang: str):
    rnd = load_round(round_id)
    return SimpleNamespace(round=rnd, lang=lang, codebook=CODEBOOK, table=frequency_table(rnd))


def link_csv(link_html: str) -> str:
    href = link_html.split('href="', 1)[1].split('"', 1)[0]
    return urllib.parse.unquote(href.removeprefix("data:text/csv;charset=utf-8,"))


# --- CSV downloads ------------------------------------------------------------------------------------------

def test_comparison_csv_gives_verdicts_in_words_in_both_languages():
    ctx_en, ctx_da = context("example", "en"), context("example", "da")
    comp = comparison_table("example", "2016")
    en = list(csv.DictReader(io.StringIO(link_csv(downloads.comparison_link(ctx_en, comp)))))
    da = list(csv.DictReader(io.StringIO(link_csv(downloads.comparison_link(ctx_da, comp)).lstrip("\ufeff")),
                             delimiter=";"))
    assert len(en) == len(da) == len(comp)
    from councils.statistics import VERDICTS

    assert {r["verdict"] for r in en} <= {words["en"] for words in VERDICTS.values()}
    assert {r["Vurdering"] for r in da} <= {words["da"] for words in VERDICTS.values()}
    assert "changed whatever the non-respondents would have said" in {r["verdict"] for r in en}
    assert "True" not in {r["verdict"] for r in en} | {r["Vurdering"] for r in da}
    for row, verdict in zip(en, comp["verdict"]):
        assert row["verdict"] == VERDICTS[verdict]["en"]
    # Danish: the rounds named in the headers, the codes kept in their own columns, shares shown and exact
    assert "Runde 2016, andel" in da[0] and "Runde example, andel, præcis" in da[0]
    assert [r["Spørgsmålskode"] for r in da] == list(comp["question"])
    # chair_background.association: 16 of 30 (2016) and 19 of 36 (example) both round to 53 %, shown as such;
    # the change, from the unrounded shares, is -0.56 points: -1 (half away from zero)
    assert (da[0]["Svarkode"], da[0]["Runde 2016, andel"], da[0]["Runde example, andel"],
            da[0]["Ændring (procentpoint)"]) == ("association", "53\u00a0%", "53\u00a0%", "\u22121")


def test_danish_figure_csv_opens_in_danish_excel():
    text = link_csv(downloads.figure_link(context("2016", "da"), 1))
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Spørgsmål", "Svar", "Antal råd", "Besvarende råd", "Andel", "Andel, præcis", "95 %-interval",
                       "Interval, nedre, præcis", "Interval, øvre, præcis", "Grænser uden antagelse om bortfald",
                       "Nedre grænse, præcis", "Øvre grænse, præcis", "Grundlag", "Spørgsmålskode", "Svarkode"]
    # figure 1 of the report: 16 of 30 councils are chaired by an association's representative (53 %)
    assert rows[1][:5] == ["Formandens baggrund", "Repræsentant for en forening", "16", "30", "53\u00a0%"]
    assert rows[1][5].startswith("0,5333333") and rows[1][12] == "oplyst i rapporten"
    assert rows[1][-2:] == ["chair_background", "association"]


# --- the spreadsheet ----------------------------------------------------------------------------------------

def sheet_table(ws) -> pd.DataFrame:
    """The one Excel table of a sheet (gptables writes each as a named table), as a frame."""
    (name, ref), = ws.tables.items()
    cells = [[c.value for c in row] for row in ws[ref]]
    return pd.DataFrame(cells[1:], columns=cells[0])


EDITIONS = [("2016", "en"), ("2016", "da"), ("example", "en"), ("example", "da")]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """Each edition's spreadsheet of the published round and of the example round (which has an earlier one)."""
    books = {}
    for round_id, lang in EDITIONS:
        rnd = load_round(round_id)
        path = write_spreadsheet(tmp_path_factory.mktemp("sheet") / f"{round_id}-{lang}.xlsx", rnd, lang,
                                 provenance(rnd, lang))
        books[(round_id, lang)] = (rnd, lang, openpyxl.load_workbook(path))
    return books


@pytest.fixture(params=EDITIONS, ids=lambda p: "-".join(p))
def workbook(request, workbooks):
    return workbooks[request.param]


def test_spreadsheet_has_cover_contents_notes_and_one_table_per_sheet(workbook):
    rnd, lang, book = workbook
    da = lang == "da"
    names = book.sheetnames
    figures = [f"{'Figur' if da else 'Figure'}_{n}" for n in CODEBOOK.figures]
    expected = (["Forside", "Indhold", "Noter"] if da else ["Cover", "Contents", "Notes"]) + figures + [
        "Øvrige_spørgsmål" if da else "Other_questions"]
    if rnd.meta.get("previous_round"):
        expected.append("Sammenligning" if da else "Comparison")
    assert names == expected
    cover = book[names[0]]
    assert cover["A1"].value == (f"Lokale integrationsråd i Danmark: runde {rnd.id}" if da else
                                 f"Local integration councils in Denmark: round {rnd.id}")
    cover_text = "\n".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    for part in (rnd.meta["source"] if not da else rnd.meta.get("source_da", rnd.meta["source"]),
                 "CC BY 4.0", "sha256", rnd.id):
        assert part in cover_text
    assert ("Introductory information" not in cover_text) and ("About these data" in cover_text) != da
    contents = sheet_table(book[names[1]])
    assert list(contents.iloc[:, 0]) == names[2:]
    for name in names:
        ws = book[name]
        assert not ws.merged_cells.ranges, f"{name}: merged cells"
        assert ws["A1"].value, f"{name}: no title in A1"
        if name != names[0]:
            assert len(ws.tables) == 1, f"{name}: {len(ws.tables)} tables"


def test_every_count_and_share_in_the_spreadsheet_is_the_tables(workbook):
    rnd, lang, book = workbook
    da = lang == "da"
    table = frequency_table(rnd).set_index(["question", "category"])
    seen = set()
    for name in book.sheetnames[3:]:
        if name in ("Comparison", "Sammenligning"):
            continue
        frame = sheet_table(book[name])
        for _, row in frame.iterrows():
            key = (row["Spørgsmålskode" if da else "Question id"], row["Svarkode" if da else "Answer code"])
            expected = table.loc[key]
            assert row["Antal råd" if da else "Councils"] == expected["count"], (name, key)
            assert row["Besvarende råd" if da else "Responding councils"] == expected["base"], (name, key)
            assert row["Andel" if da else "Share"] == pytest.approx(expected["share"], rel=1e-12), (name, key)
            assert row["Svar" if da else "Answer"] == expected[f"label_{lang}"]
            seen.add(key)
    assert seen == set(table.index), "a row of the frequency table is on no sheet"
    ws = book[book.sheetnames[3]]
    (_, ref), = ws.tables.items()
    header = [c.value for c in ws[ref][0]]
    assert ws[ref][1][header.index("Andel" if da else "Share")].number_format == "0%"


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_comparison_sheet_is_the_comparison_table(workbooks, lang):
    rnd, lang, book = workbooks[("example", lang)]
    comp = comparison_table(rnd, load_round(rnd.meta["previous_round"]))
    frame = sheet_table(book["Sammenligning" if lang == "da" else "Comparison"])
    assert len(frame) == len(comp)
    verdict = "Vurdering" if lang == "da" else "Verdict"
    assert list(frame[verdict]) == list(comp[f"verdict_{lang}"])
    current = f"Runde {rnd.id}, antal råd" if lang == "da" else f"Round {rnd.id} councils"
    assert list(frame[current]) == list(comp["current_count"])


# --- the data package ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["2016", "example"])
def package(request, tmp_path_factory):
    rnd = load_round(request.param)
    return rnd, write_datapackage(tmp_path_factory.mktemp("pkg") / "data", rnd, provenance(rnd, "en"))


def frictionless_report(path: Path):
    from frictionless import validate

    return validate(str(path))


def test_frictionless_validate_passes(package):
    rnd, path = package
    report = frictionless_report(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [task.name for task in report.tasks]
    expected = ["frequencies", "codebook"] + (["published_counts"] if rnd.kind == "published_counts" else
                                              ["responses"]) + (["comparison"] if rnd.meta.get("previous_round") else [])
    assert names == expected


def test_package_tables_are_the_rounds_tables(package):
    rnd, path = package
    frequencies = pd.read_csv(path.parent / "frequencies.csv", keep_default_na=False)
    table = frequency_table(rnd)
    assert list(frequencies[["question", "category"]].itertuples(index=False, name=None)) == list(
        table[["question", "category"]].itertuples(index=False, name=None))
    assert list(frequencies["count"]) == list(table["count"]) and list(frequencies["base"]) == list(table["base"])
    assert frequencies["share"].tolist() == pytest.approx(table["share"].tolist(), rel=1e-15)
    if rnd.kind == "responses":
        responses = pd.read_csv(path.parent / "responses.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(responses, load_checked(rnd).reset_index(drop=True), check_dtype=False)


def test_package_names_licence_source_and_provenance(package):
    import json

    rnd, path = package
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"][0]["title"] == rnd.meta["source"]
    assert set(descriptor["councils:provenance"]["data_sha256"]) >= {"round.yaml", rnd.data_file.name}
    fields = {f["name"]: f for r in descriptor["resources"] if r["name"] == "responses" for f in r["schema"]["fields"]}
    if fields:  # the schema comes from the codebook: codes allowed, labels in both languages
        influence = fields["influence"]
        assert influence["constraints"]["enum"][:2] == ["large", "some"]
        assert "large = Stor / Large; some = Nogen / Some" in influence["description"]


def test_a_value_outside_the_codebook_fails_frictionless(tmp_path):
    """The schema is a real check: one answer changed to a code the codebook does not have is reported."""
    rnd = load_round("example")
    path = write_datapackage(tmp_path / "data", rnd, provenance(rnd, "en"))
    responses = (tmp_path / "data" / "responses.csv").read_text(encoding="utf-8").splitlines()
    header = responses[0].split(",")
    cells = responses[1].split(",")
    cells[header.index("influence")] = "enorm"
    responses[1] = ",".join(cells)
    (tmp_path / "data" / "responses.csv").write_text("\n".join(responses) + "\n", encoding="utf-8")
    report = frictionless_report(path)
    assert not report.valid
    errors = report.flatten(["fieldName", "type"])
    assert ["influence", "constraint-error"] in errors


def test_withheld_responses_and_free_text_are_left_out(tmp_path):
    import shutil

    import yaml

    for field, expect in (("withhold_responses", None), ("withhold_free_text", "no text column")):
        folder = tmp_path / field / "w"
        shutil.copytree(load_round("example").path, folder)
        meta = yaml.safe_load((folder / "round.yaml").read_text(encoding="utf-8"))
        meta.update(round="w", previous_round=None, **{field: True})
        (folder / "round.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        rnd = load_round("w", folder.parent)
        write_datapackage(tmp_path / field / "pkg", rnd, provenance(rnd, "en"))
        files = sorted(p.name for p in (tmp_path / field / "pkg").iterdir())
        if expect is None:
            assert files == ["codebook.csv", "datapackage.json", "frequencies.csv"]
        else:
            header = (tmp_path / field / "pkg" / "responses.csv").read_text(encoding="utf-8").splitlines()[0]
            assert "focus_areas_other_text" not in header.split(",") and "influence" in header.split(",")


# --- the trend sheets of a series of four rounds ------------------------------------------------------------

@pytest.fixture(scope="module")
def series_workbooks(tmp_path_factory):
    rnd = load_round("example-3")
    return {lang: openpyxl.load_workbook(write_spreadsheet(tmp_path_factory.mktemp("sheet") / f"example-3-{lang}.xlsx",
                                                           rnd, lang, provenance(rnd, lang)))
            for lang in ("en", "da")}


@pytest.mark.parametrize("lang", ["en", "da"])
def test_every_share_on_the_trend_sheet_is_that_rounds_own_count(series_workbooks, lang):
    """Each round's count on the trend sheet is that round's own frequency table's count of the answer, or, for an
    option a later round split (codes joined by '+'), the sum of its parts' counts in the rounds that ask them."""
    da = lang == "da"
    book = series_workbooks[lang]
    assert book.sheetnames[-2:] == (["Udvikling_andele", "Udvikling_ændringer"] if da else
                                    ["Trends_shares", "Trends_changes"])
    frame = sheet_table(book[book.sheetnames[-2]])
    tables = {rid: frequency_table(load_round(rid)).set_index(["question", "category"])
              for rid in ("2016", "example", "example-2", "example-3")}
    col = (lambda en, dk: dk if da else en)  # noqa: E731
    checked = 0
    for _, row in frame.iterrows():
        table = tables[row[col("Round", "Runde")]]
        qid, code = row[col("Question id", "Spørgsmålskode")], row[col("Answer code", "Svarkode")]
        parts = [(qid, c) for c in code.split("+")]
        if all(p in table.index for p in parts):
            count = sum(int(table.loc[p, "count"]) for p in parts)
            assert row[col("Councils", "Antal råd")] == count, (row[col("Round", "Runde")], qid, code)
            base = int(table.loc[parts[0], "base"])
            assert row[col("Responding councils", "Besvarende råd")] == base
            assert row[col("Share", "Andel")] == pytest.approx(count / base, rel=1e-12)
            checked += 1
    assert checked >= 0.9 * len(frame), f"only {checked} of {len(frame)} rows matched a round's own count"
    # the questions the series asked in one round only are not followed: youth_members (example-3 only)
    assert "youth_members" not in set(frame[col("Question id", "Spørgsmålskode")])
    changes = sheet_table(book[book.sheetnames[-1]])
    verdicts = set(changes[col("Verdict", "Vurdering")])
    from councils.statistics import VERDICTS

    assert verdicts <= {w[lang] for w in VERDICTS.values()} and VERDICTS["changed_whatever"][lang] in verdicts
    # no change runs across example-2, where who answered changed: every stretch ends before it or starts at it
    order = ["2016", "example", "example-2", "example-3"]
    for first, last in zip(changes[col("From round", "Fra runde")], changes[col("To round", "Til runde")]):
        assert order.index(first) < order.index(last)
        assert not (order.index(first) < 2 <= order.index(last)), (first, last)


def test_a_series_package_has_its_trends_and_passes_frictionless(tmp_path):
    """example-3 ends a series of four rounds: its package adds trends.csv, whose counts are each round's own."""
    rnd = load_round("example-3")
    path = write_datapackage(tmp_path / "data", rnd, provenance(rnd, "en"))
    report = frictionless_report(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == ["frequencies", "codebook", "responses", "comparison", "trends"]
    trends = pd.read_csv(tmp_path / "data" / "trends.csv", dtype={"round": str}, keep_default_na=False)
    assert list(trends["round"].drop_duplicates()) == ["2016", "example", "example-2", "example-3"]
    tables = {rid: frequency_table(load_round(rid)).set_index(["question", "category"]) for rid in set(trends["round"])}
    matched = 0
    for row in trends.itertuples():
        key = (row.question, row.category)
        if key in tables[row.round].index:
            assert (row.count, row.base) == tuple(int(v) for v in tables[row.round].loc[key, ["count", "base"]])
            matched += 1
    assert matched >= 0.9 * len(trends)
    # example-2 changed who answered: every question's series starts a new part there
    assert set(trends.loc[trends["round"].isin(["2016", "example"]), "segment"]) == {0}
    assert 0 not in set(trends.loc[trends["round"] == "example-3", "segment"])
