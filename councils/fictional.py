"""Made-up respondent-level rounds: the example round of the repository and the benchmark's scale check.

Answers are drawn at random from the options the round asked; nothing here describes real councils.
``python -m councils.fictional FOLDER --rows N --seed S [--previous-round R] [--year Y]`` writes a
complete round folder (its ``questionnaire.yaml``, when the folder has one, says what the round asked).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from councils.codebook import Codebook, load_codebook
from councils.rounds import METADATA_FILE, RESPONSES_FILE
from councils.validate import RESPONDENT_ID, option_column, response_columns

OTHER_TOPICS = ["Ældre og fritid", "Børn og unge i skolen", "Boligområder på Ærø", "Flygtninges første år",
                "Kriminalitetsforebyggelse", "Sprog og sundhed for kvinder"]
BLANK_SHARE = 0.03  # share of single-choice answers left empty (counted as not stated)


def fictional_responses(rows: int, seed: int = 2021, codebook: Codebook | None = None) -> pd.DataFrame:
    """``rows`` made-up councils in the responses-file format of ``codebook`` (what the round asked), from ``seed``."""
    rng = np.random.default_rng(seed)
    codebook = codebook or load_codebook()
    data: dict[str, object] = {RESPONDENT_ID: [f"council-{i:03d}" if rows < 1000 else f"council-{i:06d}"
                                               for i in range(1, rows + 1)]}
    for q in codebook.questions:
        if q.type == "single_choice":
            codes = [o.code for o in q.options if o.code != codebook.missing.code]
            # Decreasing weights, so that the first options (usually the positive ones) are common.
            weights = np.linspace(1.0, 0.25, len(codes))
            answers = rng.choice(codes, size=rows, p=weights / weights.sum()).astype(object)
            answers[rng.random(rows) < BLANK_SHARE] = ""
            data[q.id] = answers
        elif q.type == "multiple_choice":
            limit = q.max_answers or len(q.options)
            chosen = np.zeros((rows, len(q.options)), dtype=int)
            for i in range(rows):
                k = rng.integers(1, limit + 1)
                chosen[i, rng.choice(len(q.options), size=k, replace=False)] = 1
            for j, code in enumerate(q.option_codes):
                data[option_column(q, code)] = chosen[:, j]
    frame = pd.DataFrame(data)
    for q in codebook.questions:
        if q.type != "text":
            continue
        # A free-text question follows the 'other' box of the multiple-choice question before it, where there is one.
        before = codebook.questions[codebook.questions.index(q) - 1]
        if before.type == "multiple_choice" and "other" in before.option_codes:
            flags = frame[option_column(before, "other")]
        else:
            flags = pd.Series(rng.random(rows) < 0.2)
        frame[q.id] = [rng.choice(OTHER_TOPICS) if flag else "" for flag in flags]
    return frame[response_columns(codebook)]


def write_round(folder: Path, rows: int, seed: int, previous_round: str | None = "2016", year: int = 2025,
                respondents: tuple[str, str] | None = None) -> Path:
    """Write ``round.yaml`` and ``responses.csv`` of a fictional round into ``folder``.

    The answers follow the round's questionnaire: the series it continues, with the changes of the
    ``questionnaire.yaml`` already in ``folder``, if any.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    respondents = respondents or ("Nobody answered: every council and every answer is made up",
                                  "Ingen har svaret: alle råd og alle svar er opdigtede")
    meta = {
        "round": folder.name,
        "title_en": "Fictional example round",
        "title_da": "Fiktiv eksempelrunde",
        "fictional": True,
        "data": "responses",
        "fieldwork_year": year,
        "report_year": year + 1,
        "respondents_en": respondents[0],
        "respondents_da": respondents[1],
        # A made-up round larger than Denmark gets as many made-up municipalities as councils, since
        # validate keeps responses <= councils_asked <= councils_existing <= municipalities.
        "municipalities": max(rows, 98),
        "councils_existing": max(rows, 44),
        "councils_asked": max(rows, 44),
        "responses": rows,
        "follow_up_interviews": 0,
        "previous_round": previous_round,
        "source": f"made up at random for this edition: {rows} fictional councils (seed {seed})",
        "source_da": f"opdigtet tilfældigt til denne udgave: {rows} fiktive råd (startværdi {seed})",
    }
    header = ("# FICTIONAL EXAMPLE DATA. Made up at random to show how a respondent-level round is\n"
              "# validated, tabulated and published. It describes no real integration council.\n")
    (folder / METADATA_FILE).write_text(header + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")
    from councils.rounds import load_round
    from councils.series import codebook_for

    codebook = codebook_for(load_round(folder.name, folder.parent))
    fictional_responses(rows, seed, codebook).to_csv(folder / RESPONSES_FILE, index=False, lineterminator="\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m councils.fictional", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="round folder to write, e.g. data/rounds/example")
    parser.add_argument("--rows", type=int, default=36)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--previous-round", default="2016")
    parser.add_argument("--year", type=int, default=2025, help="fieldwork year (the report year is the next)")
    parser.add_argument("--respondents-en", help="who answered, in English (default: nobody, all made up)")
    parser.add_argument("--respondents-da", help="the same in Danish")
    args = parser.parse_args(argv)
    respondents = (args.respondents_en, args.respondents_da) if args.respondents_en and args.respondents_da else None
    write_round(args.folder, args.rows, args.seed, args.previous_round or None, args.year, respondents)
    print(f"wrote a fictional round of {args.rows} rows to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
