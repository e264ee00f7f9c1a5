"""The strict YAML loader: no aliases, no duplicate keys, no YAML 1.1 guesses (see _documents).

Apart from ``_documents`` so that reading JSON (a batch, an HTTP body, a one-case JSON
file) never imports PyYAML.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from scr_rules.errors import InputError, Problem


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style scalars, no aliases and no duplicate keys."""

    # PyYAML keeps this registry on the class; its stubs declare it an instance variable.
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}  # type: ignore[misc]

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # unannotated in the stubs
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "anchors (&name) and aliases (*name) are not allowed; expected every value "
                "written out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # e.g. a !!map tag on a scalar or list
            raise yaml.constructor.ConstructorError(
                None, None, "a !!map tag on something that is not a mapping", node.start_mark
            )
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain names", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r}; expected each key once in a mapping",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])


def _strict_scalar(pattern: re.Pattern[str], name: str, expected: str, convert: Any) -> Any:
    """Build a constructor that also holds an explicit tag (``!!bool yes``) to the strict
    spellings, so a tag cannot smuggle in a YAML 1.1 guess (``yes``, ``0x1F``, octal ``010``)."""

    def construct(loader: _StrictLoader, node: yaml.Node) -> Any:
        # the stubs want a scalar (or mapping) node; construct_scalar refuses a sequence itself
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
        if not isinstance(value, str) or not pattern.match(value):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{str(value)[:40]!r} cannot be read as {name}; expected {expected}",
                node.start_mark,
            )
        try:
            return convert(value)
        except ValueError:  # e.g. more digits than Python converts
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a number of {len(value)} digits is too long; expected {expected}",
                node.start_mark,
            ) from None

    return construct


def _not_allowed(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"the tag !!{node.tag.rsplit(':', 1)[-1]} is not allowed; expected plain text, "
        "numbers, true/false, null, lists and mappings",
        node.start_mark,
    )


_StrictLoader.add_constructor(
    "tag:yaml.org,2002:bool",
    _strict_scalar(_BOOL, "a boolean", "true or false", lambda v: v.lower() == "true"),
)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:int",
    _strict_scalar(_INT, "a whole number", "decimal digits", lambda v: int(v, 10)),
)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:float",
    _strict_scalar(_FLOAT, "a decimal number", "digits with a point, e.g. 1.5", float),
)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:null", _strict_scalar(_NULL, "null", "null or ~", lambda v: None)
)
for _tag in ("binary", "omap", "pairs", "set"):
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _not_allowed)
# Dates stay strings: the models parse them and report an impossible date by field.
# (the stubs accept only loaders as the first argument, not PyYAML's own unbound constructors)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)  # type: ignore[type-var]


def load_yaml(parsed: str, text: str, source: str) -> Any:
    """Parse ``parsed`` (the document's ``text``, made ready for YAML) with the strict loader."""
    try:
        return yaml.load(parsed, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(
            source,
            Problem(
                f"line {line}, column {column}",
                f"the control character U+{code:04X} is not allowed; expected printable text",
            ),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if "; expected" not in what:
            what += "; expected a YAML or JSON document"
        raise InputError(source, Problem(where, what)) from None
    except yaml.YAMLError as exc:
        what = " ".join(str(exc).split())
        raise InputError(source, f"not valid YAML or JSON: {what}") from None
    except RecursionError:
        raise InputError(source, "the document is nested too deeply") from None
