"""Parse rule files with libyaml when it is there: the strict loader's result, ~9x faster.

Loading the rulebook is most of ``scr triage``'s start-up, and pure-Python YAML is most
of that. libyaml only scans and composes; our strict resolvers and constructors still
decide every value, so a document that parses gives the same data either way (a test
checks every bundled rule file). What libyaml would not check as the strict loader does
(anchors and aliases, non-printable characters) sends the text to the strict loader,
and so does any error, so messages are the strict loader's too.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from scr_rules.case._documents import parse_document

# what libyaml would not check as the strict loader does (compiled when first needed: ~3 ms)
_NOT_FOR_LIBYAML = "[&*]|[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


@functools.cache
def _libyaml_loader() -> Any:
    """Return the loader class on libyaml, or None without libyaml (PyYAML imported now)."""
    import yaml

    from scr_rules.case._strict_yaml import _StrictLoader

    try:
        from yaml._yaml import CParser  # what yaml.cyaml re-exports (its stubs do not)
    except ImportError:  # PyYAML built without libyaml
        return None

    class _LibyamlStrictLoader(CParser, _StrictLoader):
        """libyaml's scanner and composer under the strict resolvers and constructors."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return _LibyamlStrictLoader


@functools.cache
def _not_for_libyaml() -> re.Pattern[str]:
    return re.compile(_NOT_FOR_LIBYAML)


def parse_rule_document(text: str, source: str) -> Any:
    """Parse a rule file as ``yaml_io.parse_document`` does, with libyaml when possible."""
    loader_class = _libyaml_loader()
    if loader_class is None or _not_for_libyaml().search(text):
        return parse_document(text, source)
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except Exception:  # the strict loader says what is wrong, and where
        return parse_document(text, source)
    finally:
        loader.dispose()
