"""Rule files parse to the same data with libyaml as with the strict pure-Python loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from scr_rules.case import parse_document, parse_rule_document
from scr_rules.errors import InputError
from scr_rules.law import bundled_rules_dir

RULE_FILES = sorted(bundled_rules_dir().rglob("*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_bundled_rule_file_parses_identically(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_rule_document(text, str(path)) == parse_document(text, str(path))


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: on\nc: 0x1F\nd: 2008-05-20\ne: 1.5e3\nf: ~\ng: True\nh: '1'\n",
        "list:\n  - {fact: child_died, equals: true}\n  - fact: is_child\n    in: [true]\n",
        "text: >-\n  folded\n  lines\nliteral: |\n  kept\n",
        "",
        "key: \u00e9t\u00e9 \u2014 caf\u00e9\n",
    ],
)
def test_tricky_documents_parse_identically(text: str) -> None:
    assert parse_rule_document(text, "doc") == parse_document(text, "doc")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: &x 1\n", "anchors"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: [1,\n", "line"),
        ("a: !!python/object:os.system ls\n", "python"),
        ("a: \x07\n", "control character"),
    ],
)
def test_bad_documents_fail_with_the_strict_loaders_message(text: str, message: str) -> None:
    with pytest.raises(InputError) as fast:
        parse_rule_document(text, "doc")
    with pytest.raises(InputError) as strict:
        parse_document(text, "doc")
    assert str(fast.value) == str(strict.value)
    assert message in str(fast.value)
