"""Writing files so that a reader sees the old file or the new one, never half of it.

The one atomic writer of groupfinder: the HSDS import and export (:func:`write_atomic`) and
the counselor's export files (:func:`write_temporary` into a staging folder, then
``os.replace`` once all are on disk, then :func:`sync_folder`) use it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_temporary(target: Path, content: bytes, mode: int, prefix: str | None = None) -> Path:
    """``content`` in a new temporary file beside ``target`` (``O_EXCL``), synced to disk.

    The file is named ``<prefix><random>.tmp`` (default prefix ``.<target name>.``) and gets
    ``mode``; it is removed again when anything fails.
    """
    prefix = f".{target.name}." if prefix is None else prefix
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable; not every system can open a folder, and that
    is fine."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader sees the old file or the new, never
    half.

    The text goes to a temporary file in the same folder (:func:`write_temporary`, with the
    old file's mode, else 0644), which then replaces ``path``.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    temporary = write_temporary(path, text.encode("utf-8"), mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
