"""A round's tables as one spreadsheet per edition, laid out as the Analysis Function's guidance asks (gptables).

A cover sheet (title, round, source, publisher, method, contact, licence, provenance), a contents sheet, a
notes sheet (shares, intervals, bounds, groups, assumed options), then one table per sheet: one per figure,
one for the questions without a figure, the comparison with the previous round where there is one, and the
trends over a series of three rounds or more (each round's shares, and each stretch's change).
Every sheet has its title in cell A1, no merged cells and one table, whose shares are the exact values
formatted as percentages. Words are the edition's language.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from councils import wording
from councils.codebook import Codebook
from councils.rounds import Round
from councils.tables import CONFIDENCE, frequency_table, round_comparison, round_trends

LICENCE = {"en": "Creative Commons Attribution 4.0 (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/",
           "da": "Creative Commons Navngivelse 4.0 (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/deed.da"}
PERCENT = "0%"
EXACT = "0.0000"


def _codebook(rnd: Round) -> Codebook:
    """The codebook of the questions a round asked."""
    from councils.series import codebook_for

    return codebook_for(rnd)


@dataclass(frozen=True)
class Sheet:
    """One table sheet: its tab label, table name, title, subtitles and the table."""

    label: str
    name: str
    title: str
    subtitles: list[str]
    table: pd.DataFrame
    percent_columns: list[str]


def _t(lang: str, en: str, da: str, **values) -> str:
    return (da if lang == "da" else en).format(**values)


NOTE_KEYS = (("shares", True), ("interval", True), ("bounds", True), ("groups", True), ("assumed", False),
             ("comparison", False), ("trends", False))


def notes(rnd: Round, table: pd.DataFrame, lang: str, codebook: Codebook) -> pd.DataFrame:
    """The notes sheet's rows: shares, the interval, the bounds, groups, and options the report does not name."""
    from councils import findings

    level = wording.pct(CONFIDENCE, lang)
    rows = [
        ("shares", findings.coverage(findings.Writer(table, rnd.meta, lang))),
        ("interval", _t(lang, "The {level} interval is for the share among all {asked} councils asked; it assumes that "
                              "which councils answered is unrelated to their answers (exact, finite-population "
                              "interval; appendix B of the book).",
                        "{level}-intervallet gælder andelen blandt alle {asked} adspurgte råd; det antager, at hvilke "
                        "råd der svarede, ikke hænger sammen med deres svar (eksakt interval for en endelig "
                        "population; bogens bilag B).", level=level, asked=rnd.population)),
        ("bounds", _t(lang, "The bounds are the share among all councils asked if none, or all, of the councils whose "
                            "answer is missing (because they did not answer the survey, or left the question blank) "
                            "had given the answer: they need no assumption about non-response.",
                      "Grænserne er andelen blandt alle adspurgte råd, hvis ingen eller alle de råd, hvis svar mangler "
                      "(fordi de ikke besvarede undersøgelsen eller lod spørgsmålet stå tomt), havde givet svaret: de "
                      "kræver ingen antagelse om bortfaldet.")),
        ("groups", _t(lang, "Rows of the kind 'group' combine answers (their members are named in the book's "
                            "questionnaire appendix); where a round holds only a group, its answers are not split.",
                      "Rækker af arten 'gruppe' lægger svar sammen (bogens bilag om spørgeskemaet nævner dem); hvor "
                      "en runde kun har gruppen, deles den ikke op.")),
    ]
    assumed = [f"{q.short(lang)}: {o.label(lang)}" for q in codebook.choice_questions for o in q.options if o.assumed]
    if assumed:
        rows.append(("assumed", _t(lang, "Options not named in the 2016 report complete their scale so that later "
                                         "rounds can answer them (2016 holds no count for them): {items}.",
                                   "Svarmuligheder, som 2016-rapporten ikke nævner, fuldstændiggør deres skala, så "
                                   "senere runder kan svare med dem (2016 har ingen tal for dem): {items}.",
                                   items="; ".join(assumed))))
    if rnd.meta.get("previous_round"):
        rows.append(("comparison", _comparison_note(rnd, lang)))
    if round_trends(rnd)[1] is not None:
        rows.append(("trends", _t(lang, "No change is measured across a break in a question's series: where the "
                                        "question changed, or who answered changed, its series starts a new part "
                                        "(the book's chapter on developments names each break).",
                                  "Der måles ingen ændring hen over et brud i et spørgsmåls serie: hvor spørgsmålet "
                                  "ændrede sig, eller hvem der svarede, ændrede sig, begynder serien en ny del "
                                  "(bogens kapitel om udviklingen nævner hvert brud).")))
    return pd.DataFrame({"key": [k for k, _ in rows], _t(lang, "Note text", "Notetekst"): [v for _, v in rows]})


def _numbers(rows: pd.DataFrame, lang: str, codebook: Codebook, with_question: bool) -> tuple[pd.DataFrame, list[str]]:
    """A question's rows as a table sheet shows them; the columns formatted as percentages."""
    da = lang == "da"
    kinds = {"option": "svarmulighed", "group": "gruppe", "missing": "uoplyst"}
    level = wording.pct(CONFIDENCE, lang)
    columns = {}
    if with_question:
        columns[_t(lang, "Question", "Spørgsmål")] = [codebook.question(q).short(lang) for q in rows["question"]]
    share = _t(lang, "Share", "Andel")
    low, high = _t(lang, "{l} interval low", "{l}-interval, nedre", l=level), _t(lang, "{l} interval high",
                                                                                 "{l}-interval, øvre", l=level)
    bound_low, bound_high = _t(lang, "Bound low", "Nedre grænse"), _t(lang, "Bound high", "Øvre grænse")
    columns.update({
        _t(lang, "Answer", "Svar"): list(rows[f"label_{lang}"]),
        _t(lang, "Kind", "Art"): [kinds.get(k, k) if da else k for k in rows["kind"]],
        _t(lang, "Councils", "Antal råd"): [int(c) for c in rows["count"]],
        _t(lang, "Responding councils", "Besvarende råd"): [int(b) for b in rows["base"]],
        share: [float(s) for s in rows["share"]],
        low: [float(x) for x in rows["ci_low"]], high: [float(x) for x in rows["ci_high"]],
        bound_low: [float(x) for x in rows["bound_low"]], bound_high: [float(x) for x in rows["bound_high"]],
        _t(lang, "Basis", "Grundlag"): [_basis(b, lang) for b in rows["basis"]],
        _t(lang, "Question id", "Spørgsmålskode"): list(rows["question"]),
        _t(lang, "Answer code", "Svarkode"): list(rows["category"]),
    })
    return pd.DataFrame(columns), [share, low, high, bound_low, bound_high]


def _basis(basis: str, lang: str) -> str:
    from councils.downloads import BASIS_WORDS

    return BASIS_WORDS[lang].get(basis, basis)


def table_sheets(rnd: Round, lang: str, table: pd.DataFrame | None = None, keys: list[str] | None = None
                 ) -> list[Sheet]:
    """The table sheets of an edition's spreadsheet, in order: figures, other questions, the comparison.

    ``keys`` are the notes sheet's notes in order; a table refers to a note as "[note n]".
    """
    codebook = _codebook(rnd)
    table = frequency_table(rnd) if table is None else table
    keys = keys or [k for k, _ in NOTE_KEYS]
    ref = lambda *names: " ".join(f"[note {keys.index(n) + 1}]" for n in names if n in keys)  # noqa: E731
    refs = ref("shares", "interval", "bounds")
    sheets = []
    in_figures = set()
    for number in codebook.figures:
        ids = [q.id for q in codebook.figure_questions(number)]
        rows = table[table["question"].isin(ids)]
        if rows.empty:
            continue
        in_figures.update(ids)
        frame, percent = _numbers(rows, lang, codebook, with_question=len(ids) > 1)
        title = f"{_t(lang, 'Figure', 'Figur')} {number}: {codebook.figure_title(number, lang)}"
        sheets.append(Sheet(f"{_t(lang, 'Figure', 'Figur')}_{number}", f"figure_{number}", title,
                            [_subtitle(rnd, rows, lang) + " " + refs], frame, percent))
    rest = table[~table["question"].isin(in_figures)]
    if not rest.empty:
        frame, percent = _numbers(rest, lang, codebook, with_question=True)
        sheets.append(Sheet(_t(lang, "Other_questions", "Øvrige_spørgsmål"), "other_questions",
                            _t(lang, "Questions without a figure in the report", "Spørgsmål uden figur i rapporten"),
                            [_subtitle(rnd, rest, lang) + " " + ref("shares", "interval", "bounds", "groups")],
                            frame, percent))
    comparison = _comparison_sheet(rnd, lang, codebook, ref("comparison"))
    if comparison is not None:
        sheets.append(comparison)
    sheets += _trend_sheets(rnd, lang, ref("trends"))
    return sheets


def _trend_sheets(rnd: Round, lang: str, note: str) -> list[Sheet]:
    """The trends chapter's two tables: every round's share of each question followed, and each stretch's change."""
    series, found = round_trends(rnd)
    if found is None or found.rows.empty:
        return []
    codebook = series.codebook
    da = lang == "da"
    rows = found.rows  # in the codebook's order of questions, each stretch's rounds in order
    shares = pd.DataFrame({
        _t(lang, "Question", "Spørgsmål"): [codebook.question(q).short(lang) for q in rows["question"]],
        _t(lang, "Answer", "Svar"): rows[f"label_{lang}"].to_numpy(),
        _t(lang, "Round", "Runde"): rows["round"].astype(str).to_numpy(),
        _t(lang, "Series part", "Del af serien"): (rows["segment"].astype(int) + 1).to_numpy(),
        _t(lang, "Councils", "Antal råd"): rows["count"].astype(int).to_numpy(),
        _t(lang, "Responding councils", "Besvarende råd"): rows["base"].astype(int).to_numpy(),
        _t(lang, "Share", "Andel"): rows["share"].to_numpy(dtype=float),
        _t(lang, "Interval low", "Interval, nedre"): rows["ci_low"].to_numpy(dtype=float),
        _t(lang, "Interval high", "Interval, øvre"): rows["ci_high"].to_numpy(dtype=float),
        _t(lang, "Question id", "Spørgsmålskode"): rows["question"].to_numpy(),
        _t(lang, "Answer code", "Svarkode"): rows["category"].to_numpy(),
    })
    percent = [_t(lang, "Share", "Andel"), _t(lang, "Interval low", "Interval, nedre"),
               _t(lang, "Interval high", "Interval, øvre")]
    subtitle = _t(lang, "Rounds {r}: the share of the responding councils in each round that asked the question, with "
                        "its {l} interval; a question's series starts a new part where it breaks (a changed "
                        "question, or a change of who answered). {n}",
                  "Runderne {r}: andelen af de besvarende råd i hver runde, der stillede spørgsmålet, med "
                  "{l}-interval; et spørgsmåls serie begynder en ny del, hvor den brydes (et ændret spørgsmål eller "
                  "en ændring af, hvem der svarede). {n}",
                  r=wording.join(list(found.rounds), lang), l=wording.pct(CONFIDENCE, lang), n=note)
    sheets = [Sheet(_t(lang, "Trends_shares", "Udvikling_andele"), "trend_shares",
                    _t(lang, "Shares over the series", "Andele over serien"), [subtitle.strip()], shares, percent)]
    changes = found.changes
    if not changes.empty:
        frame = pd.DataFrame({
            _t(lang, "Question", "Spørgsmål"): [codebook.question(q).short(lang) for q in changes["question"]],
            _t(lang, "Answer", "Svar"): changes[f"label_{lang}"].to_numpy(),
            _t(lang, "From round", "Fra runde"): changes["previous_round"].astype(str).to_numpy(),
            _t(lang, "To round", "Til runde"): changes["current_round"].astype(str).to_numpy(),
            _t(lang, "Share in the first round", "Andel i første runde"): changes["previous_share"].to_numpy(dtype=float),
            _t(lang, "Share in the last round", "Andel i sidste runde"): changes["current_share"].to_numpy(dtype=float),
            _t(lang, "Change (percentage points)", "Ændring (procentpoint)"): changes["change_pp"].to_numpy(dtype=float),
            _t(lang, "Change whatever the missing answers, low", "Ændring uanset de manglende svar, nedre"):
                100 * changes["change_bound_low"].to_numpy(dtype=float),
            _t(lang, "Change whatever the missing answers, high", "Ændring uanset de manglende svar, øvre"):
                100 * changes["change_bound_high"].to_numpy(dtype=float),
            _t(lang, "Change interval, unadjusted, low", "Interval for ændringen, ujusteret, nedre"):
                changes["change_low_pp"].to_numpy(dtype=float),
            _t(lang, "Change interval, unadjusted, high", "Interval for ændringen, ujusteret, øvre"):
                changes["change_high_pp"].to_numpy(dtype=float),
            _t(lang, "p, unadjusted", "p, ujusteret"): changes["p_value"].to_numpy(dtype=float),
            _t(lang, "p of the question (Holm)", "p for spørgsmålet (Holm)"): changes["p_holm"].to_numpy(dtype=float),
            _t(lang, "Verdict", "Vurdering"): changes[f"verdict_{lang}"].to_numpy(),
            _t(lang, "Question id", "Spørgsmålskode"): changes["question"].to_numpy(),
            _t(lang, "Answer code", "Svarkode"): changes["category"].to_numpy(),
        })
        sheets.append(Sheet(
            _t(lang, "Trends_changes", "Udvikling_ændringer"), "trend_changes",
            _t(lang, "Changes over each part of the series", "Ændringer over hver del af serien"),
            [_t(lang, "From the first to the last round of each part of a question's series, judged as the comparison "
                      "judges a change, the family being every part of every question. {n}",
                "Fra første til sidste runde i hver del af et spørgsmåls serie, vurderet som sammenligningen "
                "vurderer en ændring, hvor familien er hver del af hvert spørgsmål. {n}", n=note).strip()],
            frame, [_t(lang, "Share in the first round", "Andel i første runde"), _t(lang, "Share in the last round", "Andel i sidste runde")]))
    return sheets


def _subtitle(rnd: Round, rows: pd.DataFrame, lang: str) -> str:
    base = int(rows["base"].max())
    return _t(lang, "Round {r}: answers of the {n} that answered, of {asked} asked.",
              "Runde {r}: svar fra de {n}, der svarede, af {asked} adspurgte.", r=rnd.id,
              n=wording.councils(base, lang), asked=rnd.population)


def _comparison_sheet(rnd: Round, lang: str, codebook: Codebook, note: str) -> Sheet | None:
    from councils.downloads import comparison_frame

    found = round_comparison(rnd)
    if found is None or found.table.empty:
        return None
    comp, previous = found.table, rnd.meta["previous_round"]
    frame = comparison_frame(comp, lang, codebook, str(previous), rnd.id)
    if lang != "da":
        frame.insert(0, "question_text", [codebook.question(q).short("en") for q in frame["question"]])
        frame = frame.rename(columns={
            "question_text": "Question", "label": "Answer", "previous_count": f"Round {previous} councils",
            "previous_base": f"Round {previous} responding councils", "previous_share": f"Round {previous} share",
            "current_count": f"Round {rnd.id} councils", "current_base": f"Round {rnd.id} responding councils",
            "current_share": f"Round {rnd.id} share", "change_pp": "Change (percentage points)",
            "change_bound_low_pp": "Change whatever the missing answers, low",
            "change_bound_high_pp": "Change whatever the missing answers, high",
            "change_low_pp": "Change interval, unadjusted, low", "change_high_pp": "Change interval, unadjusted, high",
            "p_value": "p, unadjusted", "p_holm": "p of the question (Holm)", "verdict": "Verdict",
            "question": "Question id", "category": "Answer code"})
        frame = frame.drop(columns=["previous_share_shown", "current_share_shown", "change_shown"])
        percent = [f"Round {previous} share", f"Round {rnd.id} share"]
    else:
        frame = frame.drop(columns=[f"Runde {previous}, andel", f"Runde {rnd.id}, andel", "Ændring (procentpoint)"])
        frame = frame.rename(columns={f"Runde {previous}, andel, præcis": f"Runde {previous}, andel",
                                      f"Runde {rnd.id}, andel, præcis": f"Runde {rnd.id}, andel",
                                      "Ændring (procentpoint), præcis": "Ændring (procentpoint)"})
        percent = [f"Runde {previous}, andel", f"Runde {rnd.id}, andel"]
    title = _t(lang, "Changes from round {p} to round {c}", "Ændringer fra runde {p} til runde {c}", p=previous, c=rnd.id)
    subtitle = _t(lang, "Change in percentage points, from the unrounded shares: its bounds whatever the missing "
                        "answers, its unadjusted {l} score interval and the p-value of its score test; the p-value of "
                        "the question's test, Holm-adjusted over the questions compared. {n}",
                  "Ændring i procentpoint, beregnet af de uafrundede andele: dens grænser uanset de manglende svar, "
                  "dens ujusterede {l}-scoreinterval og p-værdien for dens scoretest; p-værdien for spørgsmålets "
                  "test, Holm-justeret over de sammenlignede spørgsmål. {n}", l=wording.pct(CONFIDENCE, lang), n=note)
    return Sheet(_t(lang, "Comparison", "Sammenligning"), "comparison", title, [subtitle], frame, percent)


def _comparison_note(rnd: Round, lang: str) -> str:
    from councils.statistics import VERDICTS

    v = {key: VERDICTS[key][lang] for key in ("changed_whatever", "beyond_chance", "no_clear_change")}
    return _t(lang, "Each question is first tested as a whole (Fisher-Freeman-Halton), Holm-adjusted over the questions "
                    "compared; only the shares of a question that changed are judged one by one. Verdicts: "
                    "'{cw}' when the change's bounds exclude zero; '{bc}' when the question changed and the share's "
                    "own unadjusted interval excludes zero; otherwise '{no}'. The rest of a two-way split, 'don't "
                    "know' and 'not stated' are not compared on their own (appendix B of the book).",
              "Hvert spørgsmål testes først under ét (Fisher-Freeman-Halton), Holm-justeret over de sammenlignede "
              "spørgsmål; kun andelene i et spørgsmål, der ændrede sig, vurderes enkeltvis. Vurderinger: »{cw}«, "
              "når ændringens grænser udelukker nul; »{bc}«, når spørgsmålet ændrede sig, og andelens eget "
              "ujusterede interval udelukker nul; ellers »{no}«. Resten af en todeling, »ved ikke« og »uoplyst« "
              "sammenlignes ikke for sig (bogens bilag B).", cw=v["changed_whatever"], bc=v["beyond_chance"],
              no=v["no_clear_change"])


def cover_lines(rnd: Round, lang: str, prov: dict, table: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The cover's sections after its title: (heading, lines)."""
    from councils import findings
    from councils.commentary import commentary_files

    meta = rnd.meta
    publisher = meta.get(f"publisher_{lang}")
    about = [
        _t(lang, "Round: {r} ({title}).", "Runde: {r} ({title}).", r=rnd.id, title=rnd.title(lang)),
        _t(lang, "Source: {s}", "Kilde: {s}", s=meta.get(f"source_{lang}") or meta["source"]),
        _t(lang, "Publisher: {p}.", "Udgiver: {p}.", p=publisher) if publisher else _t(
            lang, "Publisher: the round's metadata names none.", "Udgiver: rundens metadata nævner ingen."),
        findings.method(findings.Writer(table, meta, lang), has_commentary=bool(commentary_files(rnd.path))),
        _t(lang, "Licence of these tables: {l}.", "Licens for tabellerne: {l}.", l=LICENCE[lang]),
    ]
    if rnd.fictional:
        about.insert(0, _t(lang, "FICTIONAL EXAMPLE DATA: the numbers are made up and describe no real council.",
                           "FIKTIVE EKSEMPELDATA: tallene er opdigtede og beskriver ingen virkelige råd."))
    data = ", ".join(f"{name} sha256 {digest}" for name, digest in prov["data"].items())
    provenance = [_t(lang, "Data files: {d}.", "Datafiler: {d}.", d=data),
                  _t(lang, "Code version: {c}. Built: {b}.", "Kodeversion: {c}. Bygget: {b}.", c=prov["code"],
                     b=prov["built"])]
    contact = meta.get("contact") or publisher or _t(lang, "The round's metadata names no contact.",
                                                     "Rundens metadata nævner ingen kontakt.")
    return [(_t(lang, "About these data", "Om tallene"), about),
            (_t(lang, "Provenance", "Oprindelse"), provenance),
            (_t(lang, "Contact", "Kontakt"), [contact])]


def write_spreadsheet(path: Path, rnd: Round, lang: str, prov: dict) -> Path:
    """Write the edition's spreadsheet to ``path`` (via a temporary file, so that no half-written file is left)."""
    import gptables as gpt

    codebook = _codebook(rnd)
    table = frequency_table(rnd)
    note_rows = notes(rnd, table, lang, codebook)
    sheets = table_sheets(rnd, lang, table, list(note_rows["key"]))
    number = _t(lang, "Note number", "Notenummer")
    notes_table = pd.DataFrame({number: [f"[note {i}]" for i in range(1, len(note_rows) + 1)],
                                note_rows.columns[1]: list(note_rows.iloc[:, 1])})
    instructions = _t(lang, "This worksheet contains one table. Some cells refer to notes, which can be found on the "
                            "Notes worksheet.",
                      "Dette ark indeholder én tabel. Nogle celler henviser til noter, som står på arket Noter.")
    gp_sheets = {_t(lang, "Notes", "Noter"): gpt.GPTable(
        table=notes_table, table_name="notes_table", title=_t(lang, "Notes", "Noter"),
        instructions=_t(lang, "This worksheet contains one table of the notes the other tables refer to.",
                        "Dette ark indeholder én tabel med de noter, de andre tabeller henviser til."),
        index_columns={})}
    for sheet in sheets:
        gp_sheets[sheet.label] = gpt.GPTable(
            table=sheet.table, table_name=sheet.name, title=sheet.title, subtitles=sheet.subtitles,
            instructions=instructions, source=_t(lang, "Source: round {r}; {s}", "Kilde: runde {r}; {s}", r=rnd.id,
                                                 s=rnd.meta.get(f"source_{lang}") or rnd.meta["source"])[:250],
            index_columns={2: 0},
            additional_formatting=[{"column": {"columns": sheet.percent_columns, "format": {"num_format": PERCENT}}}])
    title = _t(lang, "Local integration councils in Denmark: round {r}", "Lokale integrationsråd i Danmark: runde {r}",
               r=rnd.id)
    cover = gpt.Cover(title=title, cover_label=_t(lang, "Cover", "Forside"))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "No note text provided": the notes sheet is one of the sheets
        book = gpt.produce_workbook(
            filename=str(partial), sheets=gp_sheets, cover=cover, contentsheet_label=_t(lang, "Contents", "Indhold"),
            contentsheet_options={"title": _t(lang, "Contents", "Indhold"),
                                  "column_names": [_t(lang, "Sheet name", "Ark"), _t(lang, "Table", "Tabel")],
                                  "instructions": _t(lang, "This worksheet contains one table, of the other "
                                                           "worksheets of this workbook.",
                                                     "Dette ark indeholder én tabel over arbejdsbogens andre ark.")},
            notes_table=None)
        _write_cover_text(book, cover.cover_label, cover_lines(rnd, lang, prov, table))
        book.close()
    os.replace(partial, path)
    return path


def _write_cover_text(book, label: str, sections: list[tuple[str, list[str]]]) -> None:
    """The cover's sections below its title, in the theme's cover formats (gptables' own headings are English)."""
    import gptables as gpt

    sheet = book.get_worksheet_by_name(label)
    heading = book.add_format(gpt.gptheme.cover_subtitle_format)
    text = book.add_format(gpt.gptheme.cover_text_format)
    row = 1
    for title, lines in sections:
        sheet.write_string(row, 0, title, heading)
        row += 1
        for line in lines:
            sheet.write_string(row, 0, line, text)
            row += 1
