"""Files in the user's cache directory, each checked by its key and its sha256 before use.

What a one-case ``scr`` run would otherwise rebuild every time (the parsed entailments,
the loaded rulebook: ``scr_rules.engine.load_cached``) is kept here under a key that is
the sha256 of everything it was built from. A file is used only when its first line says
this format, that key and the sha256 of the rest, which it must match; anything else, or
any error reading it, is a miss, and the caller builds afresh. Files are written
atomically (a temporary file renamed) and readable by their owner only; one that cannot
be written is left alone. ``SCR_CACHE_DIR`` names another directory, ``SCR_NO_CACHE=1``
turns caching off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path

FORMAT = b"scr-cache/1"


def cache_dir() -> Path | None:
    """Return the directory the cache lives in, or None when it is turned off."""
    if os.environ.get("SCR_NO_CACHE"):
        return None
    named = os.environ.get("SCR_CACHE_DIR")
    if named:
        return Path(named)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scr-rules"


def read_cached(kind: str, key: str) -> bytes | None:
    """Return what was cached as ``kind`` under ``key``, or None (off, missing, or not it)."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, payload = data.partition(b"\n")
    if head != _head(key, payload):
        return None
    return payload


def write_cached(kind: str, key: str, payload: bytes) -> None:
    """Cache ``payload`` as ``kind`` under ``key`` (atomically; silently not, if it cannot)."""
    path = _path(kind, key)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_head(key, payload) + b"\n" + payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(path.parent, kind)


KEPT = 4  # files of one kind kept (a few rules directories, or code versions, at once)


def _prune(folder: Path, kind: str) -> None:
    """Remove all but the newest few files of ``kind`` (stale keys are never read again)."""
    found = []
    for path in folder.glob(f"{kind}-*"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(found, reverse=True)[KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()


def code_stamp(*modules: str) -> bytes:
    """Return what identifies the code behind a cached file: each module's size and mtime.

    ``modules`` are paths under the package (``case/_documents.py``, or ``law`` for every
    module of a package); the Python version is part of it too.
    """
    return _stamp(tuple(modules))


@functools.cache
def _stamp(modules: tuple[str, ...]) -> bytes:
    package = Path(__file__).resolve().parent.parent
    parts = [sys.version]
    for name in modules:
        target = package / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            info = file.stat()
            where = file.relative_to(package).as_posix()
            parts.append(f"{where}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts).encode()


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{key[:32]}"


def _head(key: str, payload: bytes) -> bytes:
    return b" ".join((FORMAT, key.encode(), hashlib.sha256(payload).hexdigest().encode()))
