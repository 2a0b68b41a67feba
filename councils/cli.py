"""Command line: ``python -m councils validate|tables|template|new|run|book|pdf|serve|archive``.

Bad input ends with the list of problems on stderr and exit code 1, never a traceback
(set COUNCILS_DEBUG=1 to see one for an unexpected error).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from councils.errors import ChapterFailed, DataError, Problem, printable

EXIT_BAD_DATA = 1
EXIT_FAILED = 3


def _print_problems(problems, heading: str) -> None:
    print(f"{heading}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from councils.scaffold import pending
    from councils.validate import check_round

    shown = printable(args.path)
    todo, notes = pending(Path(args.path))
    if todo:  # a scaffolded round: what is left to do, not every error that follows from it
        print(f"{shown} is not ready yet: {len(todo)} thing{'s' if len(todo) != 1 else ''} to fill in",
              file=sys.stderr)
        for p in todo:
            print(f"  - {p}", file=sys.stderr)
        for note in notes:
            print(f"  - {note}", file=sys.stderr)
        return EXIT_BAD_DATA
    rnd, frame, problems = check_round(args.path)
    if not problems:  # the commentary's claims are judged on the checked data only
        from councils.commentary import check_round_commentary

        problems = check_round_commentary(rnd)
    if problems:
        _print_problems(problems, f"{shown} is not a valid round")
        return EXIT_BAD_DATA
    what = "published counts" if rnd.kind == "published_counts" else "respondent rows"
    from councils.commentary import commentary_files

    notes = commentary_files(rnd.path)
    told = f"; commentary in {', '.join(p.name for p in notes)}, every claim holds" if notes else "; no commentary"
    print(f"{shown}: OK, round {rnd.id!r}, {len(frame)} {what} in {rnd.data_file.name}{told}"
          f"{' (fictional example)' if rnd.fictional else ''}")
    labels = frame.attrs.get("labels_read", 0)
    if labels:
        label, code = frame.attrs["label_example"]
        print(f"{shown}: {labels} answer{'s' if labels != 1 else ''} in {rnd.data_file.name} "
              f"{'were labels' if labels != 1 else 'was a label'}, not codes, and {'were' if labels != 1 else 'was'} "
              f"read through the codebook (e.g. {label!r} as '{code}')")
    return 0


def _round_and_data(args: argparse.Namespace) -> str | None:
    """Check --round and --data before anything is read; the data folder, resolved, or None for the default.

    A round is a name under the data folder, never a path; --data is the one way to point elsewhere,
    so a --data other than the default is said on stderr.
    """
    from councils.rounds import ROUNDS_DIR, round_id_problem

    problems = [p for p in [round_id_problem(args.round, "--round")] if p]
    data = None
    if args.data is not None:
        data = Path(args.data).resolve()
        if not data.is_dir():
            problems.append(Problem(str(data), None, None, "", "an existing folder holding round folders (--data)"))
    if problems:
        raise DataError(problems)
    if data is None:
        return None
    if data != ROUNDS_DIR.resolve():
        print(f"data folder: {data} (from --data)", file=sys.stderr)
    return str(data)


def cmd_tables(args: argparse.Namespace) -> int:
    data_dir = _round_and_data(args)
    from councils.tables import frequency_table

    table = frequency_table(args.round, data_dir)
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False, float_format="%.4f", lineterminator="\n")
    else:
        sys.stdout.write(table.to_json(orient="records", force_ascii=False, indent=1, double_precision=4))
        sys.stdout.write("\n")
    return 0


def _unfinished_round(round_id: str, data) -> "Round":
    """A round whose round.yaml may still have fields to fill in (a fresh scaffold): its questionnaire is all that
    its templates need. A round.yaml that is no mapping at all gets load_round's own problems."""
    import yaml

    from councils.rounds import METADATA_FILE, Round, load_round, round_dir

    path = round_dir(round_id, data)
    try:
        meta = yaml.safe_load((path / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        meta = None
    if not isinstance(meta, dict) or path.is_symlink():
        return load_round(round_id, data)  # raises DataError naming what is wrong
    return Round(id=str(round_id), path=path, meta=meta)


def cmd_template(args: argparse.Namespace) -> int:
    from councils.codebook import load_codebook
    from councils.validate import response_columns

    if args.round is None:
        codebook = load_codebook()
    else:
        from councils.rounds import load_round
        from councils.series import codebook_for

        data = _round_and_data(args)
        rnd = _unfinished_round(args.round, data) if args.templates else load_round(args.round, data)
        codebook = codebook_for(rnd)
        if args.templates:
            from councils.paths import shown
            from councils.scaffold import write_templates

            print(f"wrote {', '.join(shown(f) for f in write_templates(rnd.path, codebook))}")
            return 0
    if args.templates:
        raise DataError([Problem("--templates", None, None, "", "a round to write the templates of (--round R)")])
    header = ",".join(response_columns(codebook))
    if args.output:
        Path(args.output).write_text(header + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        print(header)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from councils.rounds import round_id_problem
    from councils.scaffold import new_round

    problems = [p for p in (round_id_problem(args.round_id, "round id"),
                            args.previous and round_id_problem(args.previous, "--from")) if p]
    if problems:
        raise DataError(problems)
    data = Path(args.data).resolve() if args.data else None
    if data is not None and not data.is_dir():
        raise DataError([Problem(str(data), None, None, "", "an existing folder holding round folders (--data)")])
    folder = new_round(args.round_id, args.previous, data)
    from councils.paths import shown

    written = ", ".join(sorted(f.relative_to(folder).as_posix() for f in folder.rglob("*") if f.is_file()))
    print(f"wrote {shown(folder)}: {written}\n"
          f"next: fill in round.yaml; declare in questionnaire.yaml every question added, dropped or changed since "
          f"the previous round (data/README.md, 'A changed questionnaire'), then remake the blank templates with "
          f"python -m councils template --round {args.round_id} --templates; put the vendor's file in the folder as "
          f"responses.csv, .xlsx, .ods or .sav; then run: python -m councils validate {shown(folder)}")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from councils.publish import site_archive

    archive, checksum = site_archive(Path(args.site), Path(args.out))
    print(f"wrote {archive} and {checksum}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    data_dir = _round_and_data(args)
    from councils.run import run_round

    return run_round(round_id=args.round, data_dir=data_dir, lang=args.lang, out=args.out, jobs=args.jobs)


def cmd_book(args: argparse.Namespace) -> int:
    from councils.run import book

    return book(jobs=args.jobs)


def cmd_pdf(args: argparse.Namespace) -> int:
    from councils.pdf import build_pdf

    if args.round is None:
        if args.data is not None or args.out is not None:
            raise DataError([Problem("--round", None, None, "",
                                     "a round (--round) with --data or --out; without it the PDF is the "
                                     "published book")])
        from councils.run import book

        book(jobs=args.jobs)
        path = build_pdf(lang=args.lang)
    else:
        data_dir = _round_and_data(args)
        from councils.run import run_round

        run_round(round_id=args.round, data_dir=data_dir, lang=args.lang, out=args.out, jobs=args.jobs)
        path = build_pdf(args.round, data_dir, args.lang, site=Path(args.out) if args.out else None)
    print(f"wrote {path} (and a copy in the site beside index.html)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import functools
    import http.server

    from councils.paths import BUILD_DIR

    if args.round is not None:
        _round_and_data(argparse.Namespace(round=args.round, data=None))
    site = Path(args.dir) if args.dir else (
        BUILD_DIR / "html" if args.round is None
        else BUILD_DIR / "rounds" / args.round / ("html" if args.lang == "en" else f"html-{args.lang}"))
    if not (site / "index.html").is_file():
        how = ("make book" if args.round is None and not args.dir
               else f"python -m councils run --round {args.round}" if args.round else "a site build")
        raise DataError([Problem(printable(str(site)), None, None, "", f"a built site with index.html (run {how} first)")])

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *log_args):  # noqa: A002 (the base class's name)
            if args.verbose:
                super().log_message(format, *log_args)

    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                                 functools.partial(Handler, directory=str(site)))
    except OSError as exc:
        raise DataError([Problem("--port", None, None, str(args.port),
                                 f"a free port on 127.0.0.1 ({exc.strerror or exc})")]) from None
    with server:
        print(f"serving {printable(str(site))} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m councils", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a round folder against the codebook")
    p.add_argument("path", help="a round folder, e.g. data/rounds/2016, or a file inside it")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("tables", help="print a round's frequency tables")
    p.add_argument("--round", required=True,
                   help="round id, e.g. 2016: a folder name under the data folder, never a path")
    p.add_argument("--data", default=None, help="folder holding the round folders (default: data/rounds)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("template", help="print the header of a blank responses.csv for a survey vendor")
    p.add_argument("--output", default=None, help="write it to this file instead of printing it")
    p.add_argument("--round", default=None, help="the round whose questionnaire the header follows (default: the "
                   "codebook's)")
    p.add_argument("--templates", action="store_true", help="(re)write the round's template/responses.csv and "
                   "template/responses.xlsx for its questionnaire, e.g. after a change to its questionnaire.yaml")
    p.add_argument("--data", default=None, help="folder holding the round folders (default data/rounds)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("new", help="scaffold a new round's folder: round.yaml, blank templates, commentary skeletons")
    p.add_argument("round_id", help="the new round's id, e.g. 2025: the name of its folder, never a path")
    p.add_argument("--from", dest="previous", default=None,
                   help="the earlier round to compare it with (its previous_round), e.g. 2016")
    p.add_argument("--data", default=None, help="folder holding the round folders (default: data/rounds)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("archive", help="one zip of a built site with a SHA-256 checksum file, for any web server")
    p.add_argument("--site", default="_build/html", help="the built site (default: _build/html, both editions)")
    p.add_argument("--out", default="_build/integration-councils-site.zip", help="the zip to write")
    p.set_defaults(func=cmd_archive)

    p = sub.add_parser("book", help="execute stale chapters in place and build the published site (_build/html)")
    p.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: cores)")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("run", help="validate a round, execute every chapter for it and build its site")
    p.add_argument("--round", required=True,
                   help="round id, e.g. 2016 or example: a folder name under the data folder, never a path")
    p.add_argument("--data", default=None, help="folder holding the round folders (default: data/rounds)")
    p.add_argument("--lang", choices=("da", "en"), default=None,
                   help="build only this edition (default: both, Danish and English, from one execution)")
    p.add_argument("--out", default=None, help="site folder (default: _build/rounds/<round>/html)")
    p.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: cores)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("pdf", help="the whole book as one PDF (_build/pdf/), printed by Debian's Chromium; "
                                   "also copied into the site")
    p.add_argument("--round", default=None,
                   help="round id (default: the published book, built as by `make book`); a round is run first")
    p.add_argument("--data", default=None, help="folder holding the round folders (default: data/rounds)")
    p.add_argument("--lang", choices=("en", "da"), default="en", help="the edition to print (default: en)")
    p.add_argument("--out", default=None, help="the round's site folder (default: _build/rounds/<round>/html)")
    p.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: cores)")
    p.set_defaults(func=cmd_pdf)

    p = sub.add_parser("serve", help="serve a built site on 127.0.0.1, so that search works fully")
    p.add_argument("--round", default=None, help="serve _build/rounds/<round>/html (default: _build/html)")
    p.add_argument("--lang", choices=("en", "da"), default="en", help="with --round: which language's site")
    p.add_argument("--dir", default=None, help="serve this site folder instead")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free port)")
    p.add_argument("--verbose", action="store_true", help="log every request")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        _print_problems(exc.problems, "bad input")
        return EXIT_BAD_DATA
    except ChapterFailed as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return EXIT_BAD_DATA
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the promise is no traceback; the debug switch brings it back
        if os.environ.get("COUNCILS_DEBUG"):
            raise
        print(f"error: {type(exc).__name__}: {exc} (set COUNCILS_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_FAILED
