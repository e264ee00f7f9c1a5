"""Read YAML and JSON documents strictly: no aliases, no duplicate keys, no YAML 1.1 guesses.

PyYAML's SafeLoader turns `yes`, `on` and `0x1F` into booleans and numbers and lets a
duplicate key silently override the first. In a safeguarding decision a silent coercion
is a wrong decision, so this loader resolves only `true`/`false`, plain decimal integers
and decimals, leaves dates as strings (the models parse them with a clear message), and
rejects anchors/aliases (the alias-bomb vector) and duplicate keys.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import orjson

from scr_rules.errors import InputError

MAX_DOCUMENT_BYTES = 1_048_576  # a case file is a few hundred bytes; 1 MiB is generous


class StrictJSONError(ValueError):
    """JSON that parses but is refused: a repeated key, or NaN or Infinity."""


class DuplicateKeyError(StrictJSONError):
    """A JSON object repeats a key (in a case file, the YAML parser then reports where)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the key {key!r} appears twice")
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a number")


def loads_strict_json(text: str) -> Any:
    """Parse JSON text, refusing what ``json.loads`` lets through silently.

    A repeated key raises DuplicateKeyError (``json.loads`` keeps the last value), and
    NaN, Infinity and -Infinity raise StrictJSONError (they are not JSON numbers); invalid
    JSON raises ``json.JSONDecodeError`` as usual, and nesting too deep RecursionError.
    """
    return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)


def quick_json(line: bytes) -> Any:
    """Return the document of a JSON line that is plainly valid, or None to read it strictly.

    orjson parses it (in C) when nothing could make the strict reading differ: no
    byte-order mark, no number but whole numbers orjson keeps exact (it turns a huge one
    into a float), nesting no deeper than a case file's, and no repeated key. Keys are
    counted against the line's colons: every key of every object has one, so as many keys
    as colons means no key was repeated (orjson keeps the last of a repeated key) and no
    colon sits inside text. Anything else (any error, a colon in text, a BOM) returns
    None, and ``loads_strict_json`` gives the answer and the message it always gave.
    """
    if line.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    keys = _plain_keys(document, 0)
    return document if keys is not None and keys == line.count(b":") else None


_QUICK_DEPTH = 8  # a case document nests three deep; deeper ones are read strictly


def _plain_keys(value: Any, depth: int) -> int | None:
    """Return how many keys the document's objects hold, or None if it holds a float."""
    kind = type(value)
    if kind is dict or kind is list:
        if depth >= _QUICK_DEPTH:
            return None
        total = len(value) if kind is dict else 0
        for item in value.values() if kind is dict else value:
            if type(item) is dict or type(item) is list or type(item) is float:
                found = _plain_keys(item, depth + 1)
                if found is None:
                    return None
                total += found
        return total
    return None if kind is float else 0


def _parse_json(text: str) -> tuple[bool, Any]:
    """Return (True, document) for plain JSON text, else (False, the text for YAML).

    JSON is tried first because YAML refuses tabs that JSON allows for indentation; text
    that is not plain JSON (or repeats a key) goes to the YAML parser, which says where.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return False, text
    try:
        return True, loads_strict_json(stripped)
    except DuplicateKeyError:
        # Valid JSON but for the repeated key, so every tab is a blank between tokens:
        # blanks keep every position, and YAML then reports the key's line and column.
        return False, text.replace("\t", " ")
    except ValueError:  # JSONDecodeError, NaN, a number too long
        return False, text


def parse_document(text: str, source: str) -> Any:
    """Parse YAML (a superset of JSON) text, raising InputError with line and column."""
    try:
        is_json, parsed = _parse_json(text)
    except RecursionError:
        raise InputError(source, "the document is nested too deeply") from None
    if is_json:
        return parsed
    from scr_rules.case._strict_yaml import load_yaml  # PyYAML only for YAML: ~10 ms to import

    return load_yaml(parsed, text, source)


def read_text(path: str | Path, stdin_text: str | None = None) -> tuple[str, str]:
    """Return (source name, text) of a file, or of standard input for '-'.

    The text must be UTF-8 and at most MAX_DOCUMENT_BYTES long.
    """
    if str(path) == "-":
        source = "<stdin>"
        raw = (stdin_text or "").encode("utf-8", errors="surrogateescape")
    else:
        source = str(path)
        file = Path(path)
        try:
            if not file.exists() and not file.is_symlink():
                raise InputError(source, "no such file; expected the path of a case file")
            kind = file.stat().st_mode  # follows links: a loop or a dangling link is OSError
            if stat.S_ISDIR(kind):
                linked = " (a symbolic link to one, not followed)" if file.is_symlink() else ""
                raise InputError(source, f"is a directory{linked}; expected a case file")
            if not stat.S_ISREG(kind):  # a FIFO or a device would block or never end
                raise InputError(source, "is not a regular file; expected a case file")
            with file.open("rb") as handle:
                raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:  # e.g. a name too long, no permission, a symlink loop
            why = exc.strerror or type(exc).__name__
            raise InputError(
                source, f"cannot be read ({why}); expected a readable case file"
            ) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InputError(
            source, f"larger than {MAX_DOCUMENT_BYTES:,} bytes; a case file is a few hundred"
        )
    if b"\x00" in raw:
        raise InputError(source, "is a binary file; expected YAML or JSON text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"is not UTF-8 text (byte {exc.start}); expected YAML or JSON text"
        ) from None
    return source, text
