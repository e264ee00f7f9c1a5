"""Read YAML and JSON documents strictly: no aliases, no duplicate keys, no YAML 1.1 guesses.

PyYAML's SafeLoader turns `yes`, `on` and `0x1F` into booleans and numbers and lets a
duplicate key silently override the first. In a safeguarding decision a silent coercion
is a wrong decision, so this loader resolves only `true`/`false`, plain decimal integers
and decimals, leaves dates as strings (the models parse them with a clear message), and
rejects anchors/aliases (the alias-bomb vector) and duplicate keys.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from scr_rules.errors import InputError, Problem

MAX_DOCUMENT_BYTES = 1_048_576  # a case file is a few hundred bytes; 1 MiB is generous


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style scalars, no aliases and no duplicate keys."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if not isinstance(key, str | int | float | bool):
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain names", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
# Dates stay strings: the models parse them and report an impossible date by field.
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def parse_document(text: str, source: str) -> Any:
    """Parse YAML (a superset of JSON) text, raising InputError with line and column."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise InputError(
            source, Problem(where, f"{what}; expected a YAML or JSON document")
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML or JSON: {exc}") from None
    except RecursionError:
        raise InputError(source, "the document is nested too deeply") from None


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
        if not file.exists():
            raise InputError(source, "no such file")
        if file.is_dir():
            raise InputError(source, "is a directory; expected a case file")
        try:
            with file.open("rb") as handle:
                raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise InputError(source, f"cannot be read: {exc.strerror}") from None
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
