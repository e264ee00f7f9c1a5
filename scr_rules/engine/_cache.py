"""The loaded rulebook kept in the user's cache directory, so a one-case ``scr`` starts fast.

Reading and validating every rule file is most of a one-case command's own work (~45 ms
of parsing YAML and checking rules, measured; ~6 ms from the cache). The cache is never
trusted blindly (``scr_rules.case`` keeps the file: its key and sha256 are checked):

- its key is the sha256 of everything the loader reads: every entry's relative path under
  the rules directory with a regular file's bytes (and the kind of anything else), the
  directory's path, and the code that reads rules (each module's size and modification
  time, with the Python and pydantic versions), so any change to any of them is a miss;
- the rulebook it holds must carry that key and the directory as its source; anything
  else, or any error reading it, is a miss;
- on a miss the rules are loaded as always (with every check and message), and cached
  only if the rulebook loaded has the digest of the files as they are now (the loader
  keeps a directory's rulebook for the process, even if its files change meanwhile).

So a damaged or stale cache costs one normal load, never a decision.
"""

from __future__ import annotations

import hashlib
import os
import pickle  # our own file, read only once its key and sha256 match
from pathlib import Path
from typing import Any

from scr_rules.case import code_stamp, parse_rule_document, read_cached, read_text, write_cached
from scr_rules.errors import ScrRulesError
from scr_rules.law import (
    QUESTIONS_FILE,
    RULEBOOK_SCHEMA,
    RuleBook,
    bundled_rules_dir,
    load_rulebook,
    rulebook_digest,
)

FORMAT = b"scr-rulebook-cache/1"
# the code that turns rule files into a RuleBook: its modules are part of the key
CODE = ("case", "law", "vocabulary.py", "errors.py")


def load_cached(directory: str | Path | None = None) -> RuleBook:
    """Return ``load_rulebook(directory)``, from the user cache when it holds this exact one."""
    folder = Path(directory).resolve() if directory is not None else bundled_rules_dir().resolve()
    try:
        key = rules_key(folder)
    except OSError:  # unreadable: the loader says what and where
        return load_rulebook(directory)
    found = _read(key, str(folder))
    if found is not None:
        return found
    book = load_rulebook(directory)
    # the loader keeps what it loaded for the process: cache it only if it is these files
    if _digest_of_files(folder) == book.digest and rules_key(folder) == key:
        write_cached("rulebook", key, pickle.dumps((key, book), protocol=pickle.HIGHEST_PROTOCOL))
    return book


def _digest_of_files(folder: Path) -> str | None:
    """Return the digest of the rule files as they are now (None if one cannot be read).

    Only after a load that succeeded: every entry is then a readable rule file.
    """
    documents = {}
    try:
        for path in sorted(folder.rglob("*.yaml")):
            relative = path.relative_to(folder).as_posix()
            if relative != QUESTIONS_FILE:
                source, text = read_text(path)
                documents[relative] = parse_rule_document(text, source)
    except (OSError, ScrRulesError):
        return None
    return rulebook_digest({"schema": RULEBOOK_SCHEMA, "files": documents})


def rules_key(folder: Path) -> str:
    """Return the sha256 of everything loading ``folder`` reads (see the module docstring)."""
    import pydantic

    code = code_stamp(*CODE) + pydantic.VERSION.encode()
    digest = hashlib.sha256(FORMAT + b"\0" + os.fsencode(folder) + b"\0" + code)
    _add_tree(digest, os.fsencode(folder), b"")
    return digest.hexdigest()


def _add_tree(digest: Any, folder: bytes, relative: bytes) -> None:
    """Add each entry under ``folder``, sorted: a regular file by its bytes, others by kind."""
    with os.scandir(folder) as entries:
        found = sorted(entries, key=lambda entry: entry.name)
    for entry in found:
        name = relative + os.fsencode(entry.name)
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as file:
                digest.update(b"f\0" + name + b"\0" + file.read() + b"\0")
        elif entry.is_dir(follow_symlinks=False):
            digest.update(b"d\0" + name + b"\0")
            _add_tree(digest, os.fsencode(entry.path), name + b"/")
        else:  # a link, a FIFO or a device: the loader refuses it, so its kind is the key
            mode = entry.stat(follow_symlinks=False).st_mode
            digest.update(b"o\0" + name + b"\0" + str(mode).encode())


def _read(key: str, source: str) -> RuleBook | None:
    """Return the rulebook cached for ``key``, or None if it is not exactly that one."""
    payload = read_cached("rulebook", key)
    if payload is None:
        return None
    try:
        stored_key, book = pickle.loads(payload)  # noqa: S301 - its key and sha256 matched
    except Exception:  # written by other code, or damaged in a way the checksum missed
        return None
    if stored_key != key or type(book) is not RuleBook or book.source != source:
        return None
    return book
