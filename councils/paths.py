"""Where the repository's folders are, and which round the published book shows: one place for both.

Every module finds the data, the chapters and the build output through these names, never through
its own ``Path(__file__)``. The published round is read from ``_config.yml`` (``councils:
published_round``), the file the site build already reads, so that publishing a new round is one
line in one file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ROUNDS_DIR = DATA_DIR / "rounds"
CHAPTERS_DIR = ROOT / "chapters"
STATIC_DIR = ROOT / "_static"
TEMPLATES_DIR = ROOT / "_templates"
LOCALE_DIR = ROOT / "locale"
BUILD_DIR = ROOT / "_build"
CACHE_DIR = BUILD_DIR / "cache"
CONFIG_PATH = ROOT / "_config.yml"
TOC_PATH = ROOT / "_toc.yml"
CITATION_PATH = ROOT / "CITATION.cff"


@lru_cache(maxsize=1)
def published_round() -> str:
    """The round the published book (``make book``) shows: ``councils: published_round`` in _config.yml."""
    import yaml

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    return str(config["councils"]["published_round"])


def shown(path: Path) -> str:
    """A path as a message shows it: relative to the repository when inside it."""
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)
