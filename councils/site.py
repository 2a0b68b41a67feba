"""An edition's site: its jupyter-book sources, configuration, provenance, and the atomic build of both editions.

``councils.run`` executes the chapters and hands the executed notebooks here; ``councils.pdf`` prints
an edition from the same sources. Nothing here executes a chapter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from councils.commentary import commentary_files
from councils.downloads import footer_context, write_edition_files
from councils.errors import ChapterFailed
from councils.paths import (
    BUILD_DIR, CACHE_DIR, CONFIG_PATH, LOCALE_DIR, ROOT, STATIC_DIR, TEMPLATES_DIR, TOC_PATH, published_round, shown,
)
from councils.rounds import Round, file_digest

COMPARISON_CHAPTER = "5_comparison"
TRENDS_CHAPTER = "6_trends"
SITE_KEY_FILE = ".site-key"


def _sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def round_inputs(rnd: Round) -> list[Path]:
    """Every file of a round that a chapter's text depends on: its data files and its commentary."""
    return list(rnd.files) + commentary_files(rnd.path)


def skipped_chapters(rnd: Round) -> set[str]:
    """Chapters a round's book leaves out: the comparison without an earlier round, the trends with fewer than
    three rounds in the series (with two, the comparison says it all)."""
    from councils.series import series_rounds

    rounds, _ = series_rounds(rnd)
    skipped = set()
    if len(rounds) < 2:
        skipped.add(COMPARISON_CHAPTER)
    if len(rounds) < 3:
        skipped.add(TRENDS_CHAPTER)
    return skipped


def pdf_name(round_id: str, lang: str = "en") -> str:
    """File name of a round's PDF, in _build/pdf/ and in its site (the site links to it by this name)."""
    return f"integration-councils-{round_id}{'' if lang == 'en' else '-' + lang}.pdf"


DIRTY = "+uncommitted changes"


def git_version() -> str:
    """Short commit of the code, marked '+uncommitted changes' when the work tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit}{DIRTY}" if dirty else commit


def provenance(rnd: Round, lang: str, built: dt.datetime | None = None) -> dict:
    """What a reader needs to trace the site: round, data hashes, code version, build date."""
    files = round_inputs(rnd)
    previous = rnd.meta.get("previous_round")
    built = built or dt.datetime.now(dt.timezone.utc)
    return {
        "round": rnd.id,
        "fictional": rnd.fictional,
        "lang": lang,
        "data": {f.relative_to(rnd.path).as_posix(): file_digest(f)[:12] for f in files},
        "previous_round": previous,
        "code": git_version(),
        "built": built.strftime("%Y-%m-%d %H:%M UTC"),
    }


def _built_words(prov: dict, lang: str) -> str:
    """The build time as the edition's readers write dates ('29 November 2026, 21:52 UTC'; '29. november 2026
    kl. 21.52 UTC')."""
    from babel.dates import format_datetime

    moment = dt.datetime.strptime(prov["built"], "%Y-%m-%d %H:%M UTC")
    if lang == "da":
        return format_datetime(moment, "d. MMMM y 'kl.' HH.mm", locale="da_DK") + " UTC"
    return format_datetime(moment, "d MMMM y, HH:mm", locale="en_GB") + " UTC"


# The "last updated" line of the theme's footer, in each language's date style (Sphinx's strftime codes).
LAST_UPDATED_FORMAT = {"da": "%-d. %B %Y", "en": "%-d %B %Y"}

# What each of a round's files is to a reader, in the footer beside its hash (provenance.json keeps the
# file names): no file name, and no English file name on a Danish page.
FILE_WORDS = {
    "round.yaml": ("metadata", "metadata"),
    "counts.csv": ("published counts", "offentliggjorte tal"),
    "responses.csv": ("answers", "svar"),
    "commentary/en.md": ("English commentary", "engelske kommentarer"),
    "commentary/da.md": ("Danish commentary", "danske kommentarer"),
}

# Who made this edition, as CITATION.cff names them (its preferred-citation authors), in each language.
EDITION_MAKERS = {"en": "contributors to the executable edition",
                  "da": "bidragyderne til den eksekverbare udgave"}


def _provenance_html(prov: dict, lang: str = "en", rnd: Round | None = None) -> str:
    """The footer of every page: who made what (findings, this edition), then round, data hashes, code, build."""
    from html import escape

    da = lang == "da"
    data = ", ".join(f"{FILE_WORDS.get(name, (name, name))[1 if da else 0]} <code>{digest}</code>"
                     for name, digest in prov["data"].items())
    title = rnd.meta.get(f"title_{lang}") if rnd is not None else None
    named = f" ({escape(title, quote=False)})" if title else ""
    fictional = (" " + ("Rundens data er fiktive." if da else "The round's data are fictional.")
                 if prov["fictional"] else "")
    sha = '<span style="white-space: nowrap">SHA-256</span>'  # never broken at its hyphen
    words = (("Runde", f"Data ({sha})", "Kodeversion", "Bygget") if da else
             ("Round", f"Data ({sha})", "Code version", "Built"))
    code = prov["code"].replace(DIRTY, " + ændringer, der ikke er committet" if da else DIRTY)
    authorship = (f'<p class="councils-authorship">{escape(author(rnd, lang), quote=False)}.</p>'
                  if rnd is not None else "")
    return (f'<div class="councils-provenance">{authorship}<p>{words[0]} <strong>{prov["round"]}</strong>{named}.'
            f"{fictional} {words[1]}: {data}. {words[2]} <code>{code}</code>. {words[3]} "
            f"{_built_words(prov, lang)}.</p></div>")


LANGUAGES = ("da", "en")  # the editions, the first the one a reader of the site's root lands on
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def site_config(rnd: Round, lang: str, prov: dict, other: str | None = None) -> dict:
    """The edition's jupyter-book configuration: _config.yml with the round's front matter and the language's words.

    ``other`` is the language of the companion edition the pages link to, or None for a single edition.
    """
    da = lang == "da"
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    config["author"] = author(rnd, lang)
    if da:
        config["title"] = "Lokale integrationsråd i Danmark"
    if rnd.id != published_round():
        suffix = (" (fiktiv)" if da else " (fictional)") if rnd.fictional else ""
        config["title"] = f"{config['title']}: {'runde' if da else 'round'} {rnd.id}{suffix}"
    sphinx = config["sphinx"]["config"]
    # Sphinx copies every executed notebook into the site's _sources/, papermill's injected cell with
    # its absolute data_dir included; the pages link to none of them.
    sphinx["html_copy_source"] = False
    sphinx["language"] = lang
    sphinx["html_last_updated_fmt"] = LAST_UPDATED_FORMAT["da" if da else "en"]
    sphinx["templates_path"] = ["_templates"]
    sphinx["locale_dirs"] = ["locale"]
    if da:
        sphinx["numfig_format"] = {"figure": "Figur %s", "table": "Tabel %s"}
    pdf = edition_pdf(rnd, lang)
    sphinx["html_context"] = {**sphinx.get("html_context", {}), "councils_other_lang": other,
                              "councils_other_label": LANGUAGE_NAMES.get(other or "", ""),
                              "councils_pdf": pdf.name if pdf else None,
                              "councils_pdf_label": "Hele bogen som PDF" if da else "The whole book as PDF"}
    theme = sphinx["html_theme_options"]
    theme["extra_footer"] = _provenance_html(prov, lang, rnd)
    # The authorship is the provenance's first line (the theme's own author line would read "By <author>"); every
    # page's footer links to the edition's spreadsheet and data package (_templates/councils-downloads.html).
    sphinx["html_context"].update(footer_context(rnd, lang))
    theme["footer_content_items"] = ["last-updated.html", "councils-downloads.html", "extra-footer.html"]
    if da:
        theme["search_bar_text"] = "Søg i bogen …"
    if other or pdf:
        theme["article_header_end"] = ["language-switch.html", "article-header-buttons.html"]
    if rnd.fictional:
        # Only what the metadata says (fictional: true): not how or why the data were made.
        theme["announcement"] = (
            "Fiktive data: rundens metadata angiver, at runden er fiktiv. Tallene på denne side beskriver ingen "
            "virkelige integrationsråd." if da else
            "Fictional data: the round's metadata marks it as fictional. The numbers on this page describe no "
            "real integration council.")
    return config


def edition_pdf(rnd: Round, lang: str) -> Path | None:
    """The edition's PDF (``make pdf``, councils/pdf.py), when one has been printed: the site links to it."""
    path = BUILD_DIR / "pdf" / pdf_name(rnd.id, lang)
    return path if path.is_file() else None


def author(rnd: Round, lang: str = "en") -> str:
    """Who made what, from the round's metadata: 'Findings: <publisher> (<year>); this edition: <its makers>'.

    So that no one takes the edition for the publisher's own; a fictional round's findings are nobody's.
    """
    da = lang == "da"
    makers = EDITION_MAKERS["da" if da else "en"]
    edition = f"denne udgave: {makers}" if da else f"this edition: {makers}"
    if rnd.fictional:
        return f"Resultater: ingen, rundens data er fiktive; {edition}" if da else (
            f"Findings: none, the round's data are fictional; {edition}")
    publisher, year = rnd.meta.get(f"publisher_{lang}"), rnd.meta.get("report_year")
    if not publisher:
        return f"Resultater: udgiveren er ikke oplyst i rundens metadata; {edition}" if da else (
            f"Findings: the round's metadata names no publisher; {edition}")
    when = f" ({year})" if year else ""
    return f"Resultater: {publisher}{when}; {edition}" if da else f"Findings: {publisher}{when}; {edition}"


TOC_CAPTIONS_DA = {"The report": "Rapporten", "Appendices": "Bilag"}


def site_toc(rnd: Round, lang: str = "en") -> dict:
    toc = yaml.safe_load(TOC_PATH.read_text(encoding="utf-8"))
    if lang == "da":
        for part in toc["parts"]:
            part["caption"] = TOC_CAPTIONS_DA.get(part["caption"], part["caption"])
    for chapter in (COMPARISON_CHAPTER, TRENDS_CHAPTER):
        if chapter not in skipped_chapters(rnd):
            toc["parts"][0]["chapters"].append({"file": f"chapters/{chapter}"})
    return toc


def site_key(notebooks: dict[str, Path], rnd: Round, langs: tuple[str, ...], prov: dict) -> str:
    """Everything a site is made from except the build date: unchanged key, nothing to rebuild."""
    inputs = [p.read_bytes() for _, p in sorted(notebooks.items())]
    inputs += [(ROOT / name).read_bytes() for name in ("_config.yml", "_toc.yml")]
    inputs += [p.read_bytes() for folder in (STATIC_DIR, TEMPLATES_DIR, LOCALE_DIR)
               for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".mo"]
    inputs += [pdf.read_bytes() for pdf in (edition_pdf(rnd, lang) for lang in langs) if pdf]
    stable = {k: v for k, v in prov.items() if k not in ("built", "lang")}
    return _sha256(*inputs, json.dumps(stable, sort_keys=True).encode(), ",".join(langs).encode(), rnd.id.encode())


def edition_notebook(source: Path, target: Path, lang: str) -> None:
    """Copy an executed chapter keeping the cells of one language (tag ``lang-<xx>``) and the untagged ones."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    other = {f"lang-{x}" for x in LANGUAGES if x != lang}
    nb["cells"] = [c for c in nb["cells"] if not other & set(c.get("metadata", {}).get("tags", []))]
    target.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def edition_source(src: Path, notebooks: dict[str, Path], rnd: Round, lang: str, prov: dict,
                    other: str | None) -> None:
    """One edition's jupyter-book source folder: its chapters, static files, templates, catalogues, config."""
    (src / "chapters").mkdir(parents=True)
    for name, path in notebooks.items():
        edition_notebook(path, src / "chapters" / f"{name}.ipynb", lang)
    shutil.copytree(STATIC_DIR, src / "_static")
    for folder in (TEMPLATES_DIR, LOCALE_DIR):
        if folder.is_dir():
            shutil.copytree(folder, src / folder.name, ignore=shutil.ignore_patterns("*.mo"))
    (src / "_config.yml").write_text(yaml.safe_dump(site_config(rnd, lang, prov, other), allow_unicode=True),
                                     encoding="utf-8")
    (src / "_toc.yml").write_text(yaml.safe_dump(site_toc(rnd, lang), sort_keys=False, allow_unicode=True),
                                  encoding="utf-8")


ROOT_WORDS = {"da": ("Lokale integrationsråd i Danmark", "Læs bogen på dansk"),
              "en": ("Local integration councils in Denmark", "Read the book in English")}


def _root_page(langs: tuple[str, ...]) -> str:
    """The site's root: a choice of the editions, the first (Danish) first, each declared as an alternate.

    No redirect: a reader who does not read Danish sees the English edition offered beside it.
    """
    import html

    alternates = "".join(f'<link rel="alternate" hreflang="{x}" href="{x}/chapters/index.html">' for x in langs)
    choices = "".join(
        f'<li lang="{x}"><a href="{x}/chapters/index.html" hreflang="{x}">{html.escape(ROOT_WORDS[x][1])}</a>'
        f' <span>({LANGUAGE_NAMES[x]})</span></li>' for x in langs)
    title = " · ".join(ROOT_WORDS[x][0] for x in langs)
    style = ("body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:2rem 1rem;"
             "line-height:1.5;color:#222;background:#fff}h1{font-size:1.5rem}ul{list-style:none;padding:0}"
             "li{margin:1rem 0;font-size:1.25rem}a{color:#0b57d0}li span{color:#555;font-size:1rem}"
             "@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#121212}a{color:#8ab4f8}"
             "li span{color:#b0b0b0}}")
    heading = "<br>".join(f'<span lang="{x}">{html.escape(ROOT_WORDS[x][0])}</span>' for x in langs)
    return (f'<!DOCTYPE html>\n<html lang="{langs[0]}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>{alternates}<style>{style}</style></head>"
            f"<body><main><h1>{heading}</h1><ul>{choices}</ul></main></body></html>\n")


def build_site(notebooks: dict[str, Path], rnd: Round, langs: tuple[str, ...], out: Path) -> bool:
    """Build the editions in ``langs`` with jupyter-book in a temporary folder, then swap them into ``out``.

    One language: that edition's site is ``out``. Several: each is ``out/<lang>``, and ``out/index.html``
    opens the first. The editions are built side by side (one jupyter-book process each). Returns False
    when the site at ``out`` is already built from the same inputs.
    """
    built = dt.datetime.now(dt.timezone.utc)
    key = site_key(notebooks, rnd, langs, provenance(rnd, langs[0], built))
    if (out / SITE_KEY_FILE).is_file() and (out / SITE_KEY_FILE).read_text() == key:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-", dir=out.parent) as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        running = {}
        for lang in langs:
            prov = provenance(rnd, lang, built)
            other = next((x for x in langs if x != lang), None)
            src = Path(tmp) / f"src-{lang}"
            edition_source(src, notebooks, rnd, lang, prov, other)
            running[lang] = (prov, src, subprocess.Popen(
                [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src), "--warningiserror",
                 "--nitpick", "--keep-going", "--quiet"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        failures = []
        for lang, (prov, src, process) in running.items():
            output, _ = process.communicate()
            html = src / "_build" / "html"
            if process.returncode != 0 or not (html / "index.html").is_file():
                log = out.parent / f"{out.name}-{lang}-build.log"
                log.write_text(output, encoding="utf-8")
                failures.append(f"the {LANGUAGE_NAMES[lang]} site build failed; jupyter-book's output is in "
                                f"{shown(log)}:\n{_tail(output)}")
                continue
            (html / "provenance.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
            write_edition_files(html, rnd, lang, prov)  # the round's spreadsheet and data package, in the edition
            pdf = edition_pdf(rnd, lang)
            if pdf:  # a site rebuild keeps the printed book it links to
                shutil.copyfile(pdf, html / pdf.name)
            os.replace(html, site / lang if len(langs) > 1 else site / "_one")
        if failures:
            raise ChapterFailed(f"the previous site at {shown(out)} is unchanged. " + "\n".join(failures))
        if len(langs) == 1:
            site = site / "_one"
        else:
            (site / "index.html").write_text(_root_page(langs), encoding="utf-8")
        (site / SITE_KEY_FILE).write_text(key)
        _swap_in(site, out)
    return True


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames, so that a reader never sees half a site."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old)
