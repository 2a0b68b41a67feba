"""The built site as one zip for any web server (``make site-archive``), with a SHA-256 checksum file beside it."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from councils.errors import DataError, Problem
from councils.paths import shown

SKIP = (".site-key",)  # the build's own bookkeeping, not part of the site


def site_archive(site: Path, archive: Path) -> tuple[Path, Path]:
    """Zip every file of ``site`` (paths relative to it, in sorted order) into ``archive``; write
    ``<archive>.sha256`` as ``sha256sum --check`` reads it. Nothing is left half-written."""
    site, archive = Path(site), Path(archive)
    if not (site / "index.html").is_file():
        raise DataError([Problem(shown(site), None, None, "", "a built site with index.html (run `make book` first)")])
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.{os.getpid()}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name not in SKIP):
                out.write(path, path.relative_to(site).as_posix())
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return archive, checksum
