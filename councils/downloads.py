"""What a reader can take away: each table as CSV, the round's spreadsheet and its data package.

- CSV downloads under each table (``figure_link``, ``comparison_link``), as data: links so that the site
  fetches nothing. English: UTF-8, commas, decimal points and snake_case headers, for tools. Danish: as
  Danish Excel opens it (byte-order mark, semicolons, decimal commas), with Danish headers and labels and
  the codes kept in columns of their own. Both give each share as the table shows it ('80 %') beside the
  exact value, and a comparison's verdict in words.
- Per edition, written into its built site by :func:`write_edition_files` (called by ``councils.site``):
  the round's spreadsheet (``councils.spreadsheet``, gptables) and its data package
  (``councils.datapackage``), linked from every page's footer and from the chapters (:func:`chapter_links`).

Functions here take a chapter's context (``report.Context``: ``round``, ``lang``, ``codebook``, ``table``)
without importing ``report``.
"""

from __future__ import annotations

import html
import urllib.parse
from pathlib import Path

import pandas as pd

from councils import wording
from councils.rounds import Round

# The English CSV of a figure: snake_case for tools (its first columns are what older downloads had).
CSV_COLUMNS = ["question", "category", "label", "count", "base", "share", "share_shown", "ci_low", "ci_high",
               "interval_shown", "bound_low", "bound_high", "bounds_shown", "basis"]
# The Danish CSV's headers, column for column (the codes last, in columns of their own).
CSV_COLUMNS_DA = {"question_text": "Spørgsmål", "label": "Svar", "count": "Antal råd", "base": "Besvarende råd",
                  "share_shown": "Andel", "share": "Andel, præcis", "interval_shown": "95 %-interval",
                  "ci_low": "Interval, nedre, præcis", "ci_high": "Interval, øvre, præcis",
                  "bounds_shown": "Grænser uden antagelse om bortfald", "bound_low": "Nedre grænse, præcis",
                  "bound_high": "Øvre grænse, præcis", "basis": "Grundlag", "question": "Spørgsmålskode",
                  "category": "Svarkode"}
BASIS_WORDS = {"en": {"stated": "stated in the report", "remainder": "remainder of a stated total",
                      "respondents": "respondents' answers"},
               "da": {"stated": "oplyst i rapporten", "remainder": "rest af et oplyst tal",
                      "respondents": "besvarelser"}}


def csv_text(frame: pd.DataFrame, lang: str) -> str:
    """A table as CSV for the edition's readers (exact values written in full, as Python writes a float).

    English: UTF-8, comma-separated, decimal point, for tools. Danish: as Danish Excel opens it, with a
    byte-order mark, semicolons and decimal commas.
    """
    if lang == "da":
        return "\ufeff" + frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return frame.to_csv(index=False, lineterminator="\n")


def _to(low: float, high: float, lang: str) -> str:
    return f"{wording.pct(low, lang)} {'til' if lang == 'da' else 'to'} {wording.pct(high, lang)}"


def figure_rows(ctx, number: int) -> pd.DataFrame:
    """The frequency-table rows a figure draws: its questions the round asked and some council answered."""
    from councils.tables import _nobody_answered

    ids = [q.id for q in ctx.codebook.figure_questions(number) if not _nobody_answered(ctx.table, q.id)]
    return ctx.table[ctx.table["question"].isin(ids)]


def numbers_frame(rows: pd.DataFrame, lang: str, codebook) -> pd.DataFrame:
    """Rows of the frequency table as an edition's CSV holds them (English: CSV_COLUMNS; Danish: CSV_COLUMNS_DA)."""
    frame = pd.DataFrame({
        "question": rows["question"].to_numpy(), "category": rows["category"].to_numpy(),
        "label": rows[f"label_{lang}"].to_numpy(), "count": rows["count"].astype(int).to_numpy(),
        "base": rows["base"].astype(int).to_numpy(), "share": rows["share"].to_numpy(dtype=float),
        "share_shown": [wording.pct(s, lang) for s in rows["share"]],
        "ci_low": rows["ci_low"].to_numpy(dtype=float), "ci_high": rows["ci_high"].to_numpy(dtype=float),
        "interval_shown": [_to(lo, hi, lang) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "bound_low": rows["bound_low"].to_numpy(dtype=float), "bound_high": rows["bound_high"].to_numpy(dtype=float),
        "bounds_shown": [_to(lo, hi, lang) for lo, hi in zip(rows["bound_low"], rows["bound_high"])],
        "basis": [BASIS_WORDS[lang].get(b, b) if lang == "da" else b for b in rows["basis"]],
    })
    if lang != "da":
        return frame[CSV_COLUMNS]
    frame["question_text"] = [codebook.question(q).short("da") for q in frame["question"]]
    return frame[list(CSV_COLUMNS_DA)].rename(columns=CSV_COLUMNS_DA)


def figure_table(ctx, number: int) -> pd.DataFrame:
    """The numbers behind a figure, as its CSV download holds them in the context's language."""
    return numbers_frame(figure_rows(ctx, number), ctx.lang, ctx.codebook)


def verdict_words(beyond: bool, lang: str, codebook) -> str:
    """A comparison's verdict in words, as the charts' legend says it (from the codebook)."""
    return codebook.words(lang)["beyond_chance" if beyond else "within_chance"]


def comparison_frame(comp: pd.DataFrame, lang: str, codebook, previous: str, current: str) -> pd.DataFrame:
    """The comparison of two rounds as its CSV download holds it: shares shown and exact, verdicts in words."""
    shown = [wording.shares_and_change(p, c, lang) for p, c in zip(comp["previous_share"], comp["current_share"])]
    frame = pd.DataFrame({
        "question": comp["question"].to_numpy(), "category": comp["category"].to_numpy(),
        "label": comp[f"label_{lang}"].to_numpy(),
        "previous_count": comp["previous_count"].astype(int).to_numpy(),
        "previous_base": comp["previous_base"].astype(int).to_numpy(),
        "previous_share": comp["previous_share"].to_numpy(dtype=float), "previous_share_shown": [s[0] for s in shown],
        "current_count": comp["current_count"].astype(int).to_numpy(),
        "current_base": comp["current_base"].astype(int).to_numpy(),
        "current_share": comp["current_share"].to_numpy(dtype=float), "current_share_shown": [s[1] for s in shown],
        "change_pp": comp["change_pp"].to_numpy(dtype=float), "change_shown": [s[2] for s in shown],
        "change_bound_low_pp": 100 * comp["change_bound_low"].to_numpy(dtype=float),
        "change_bound_high_pp": 100 * comp["change_bound_high"].to_numpy(dtype=float),
        "change_low_pp": comp["change_low_pp"].to_numpy(dtype=float),
        "change_high_pp": comp["change_high_pp"].to_numpy(dtype=float),
        "p_value": comp["p_value"].to_numpy(dtype=float), "p_holm": comp["p_holm"].to_numpy(dtype=float),
        "verdict": (list(comp[f"verdict_{lang}"]) if f"verdict_{lang}" in comp else
                    [verdict_words(bool(b), lang, codebook) for b in comp["beyond_chance"]]),
    })
    if lang != "da":
        return frame
    frame.insert(0, "question_text", [codebook.question(q).short("da") for q in frame["question"]])
    danish = {"question_text": "Spørgsmål", "label": "Svar",
              "previous_count": f"Runde {previous}, antal råd", "previous_base": f"Runde {previous}, besvarende råd",
              "previous_share_shown": f"Runde {previous}, andel", "previous_share": f"Runde {previous}, andel, præcis",
              "current_count": f"Runde {current}, antal råd", "current_base": f"Runde {current}, besvarende råd",
              "current_share_shown": f"Runde {current}, andel", "current_share": f"Runde {current}, andel, præcis",
              "change_shown": "Ændring (procentpoint)", "change_pp": "Ændring (procentpoint), præcis",
              "change_bound_low_pp": "Ændring uanset de manglende svar, nedre",
              "change_bound_high_pp": "Ændring uanset de manglende svar, øvre",
              "change_low_pp": "Interval for ændringen, ujusteret, nedre",
              "change_high_pp": "Interval for ændringen, ujusteret, øvre",
              "p_value": "p, ujusteret", "p_holm": "p for spørgsmålet (Holm)", "verdict": "Vurdering",
              "question": "Spørgsmålskode", "category": "Svarkode"}
    return frame[list(danish)].rename(columns=danish)


def _download_link(frame: pd.DataFrame, lang: str, stem: str) -> str:
    """A CSV download as a data: link, so that the site needs no extra file and fetches nothing."""
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(csv_text(frame, lang))
    label = "Hent tabellen som CSV (til Excel)" if lang == "da" else "Download this table as CSV"
    return (f'<p><a class="councils-download" download="{html.escape(stem)}.csv" href="{href}">'
            f"{html.escape(label)}</a></p>")


def figure_link(ctx, number: int) -> str:
    """The CSV download under a figure's numbers table."""
    stem = (f"figur-{number}-runde-{ctx.round.id}" if ctx.lang == "da" else f"figure-{number}-round-{ctx.round.id}")
    return _download_link(figure_table(ctx, number), ctx.lang, stem)


def comparison_link(ctx, comp: pd.DataFrame) -> str:
    """The CSV download under the comparison's numbers table."""
    previous = str(ctx.round.meta["previous_round"])
    stem = (f"sammenligning-{previous}-{ctx.round.id}" if ctx.lang == "da" else f"comparison-{previous}-{ctx.round.id}")
    return _download_link(comparison_frame(comp, ctx.lang, ctx.codebook, previous, ctx.round.id), ctx.lang, stem)


# --- the edition's files: spreadsheet and data package ------------------------------------------------------

DATA_FOLDER = "data"


def spreadsheet_name(round_id: str, lang: str) -> str:
    """File name of a round's spreadsheet in an edition's site (beside the PDF, named the same way)."""
    return f"integration-councils-{round_id}{'' if lang == 'en' else '-' + lang}.xlsx"


def package_zip_name(round_id: str) -> str:
    return f"integration-councils-{round_id}-data.zip"


def edition_downloads(rnd: Round, lang: str) -> list[dict]:
    """The files every page of an edition links to: (href from the edition's root, label, description)."""
    da = lang == "da"
    return [
        {"href": spreadsheet_name(rnd.id, lang), "label": "Regneark (.xlsx)" if da else "Spreadsheet (.xlsx)",
         "title": ("Rundens tabeller som regneark med forside, indhold og noter" if da else
                   "The round’s tables as a spreadsheet with cover, contents and notes")},
        {"href": package_zip_name(rnd.id), "label": "Datapakke (.zip)" if da else "Data package (.zip)",
         "title": ("Rundens tabeller som CSV-filer med datapackage.json (Frictionless)" if da else
                   "The round’s tables as CSV files with datapackage.json (Frictionless)")},
        {"href": f"{DATA_FOLDER}/datapackage.json", "label": "datapackage.json",
         "title": "Datapakkens beskrivelse" if da else "The data package's description"},
    ]


def footer_context(rnd: Round, lang: str) -> dict:
    """What the footer template (_templates/councils-downloads.html) shows on every page of an edition."""
    return {"councils_downloads": edition_downloads(rnd, lang),
            "councils_downloads_label": "Hent rundens tal:" if lang == "da" else "The round’s numbers:"}


def chapter_links(ctx):
    """A chapter's line of downloads: the round's spreadsheet and data package (chapter pages are one folder down)."""
    from IPython.display import HTML

    files = edition_downloads(ctx.round, ctx.lang)
    label = "Hent rundens tal:" if ctx.lang == "da" else "Download the round’s numbers:"
    links = " · ".join(f'<a href="../{html.escape(f["href"])}" title="{html.escape(f["title"])}">'
                       f'{html.escape(f["label"])}</a>' for f in files[:2])
    return HTML(f'<p class="councils-downloads">{html.escape(label)} {links}</p>')


def write_edition_files(site: Path, rnd: Round, lang: str, prov: dict) -> list[Path]:
    """Write an edition's spreadsheet and data package into its built site folder; the files written."""
    from councils.datapackage import write_datapackage, zip_package
    from councils.spreadsheet import write_spreadsheet

    sheet = write_spreadsheet(site / spreadsheet_name(rnd.id, lang), rnd, lang, prov)
    package = write_datapackage(site / DATA_FOLDER, rnd, prov)
    archive = zip_package(site / DATA_FOLDER, site / package_zip_name(rnd.id))
    return [sheet, package, archive]
