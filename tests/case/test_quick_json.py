"""The quick JSON path reads a line as the strict parser does, or leaves it to it."""

from __future__ import annotations

import json
import random

import pytest

from scr_rules.case import StrictJSONError, loads_strict_json, quick_json
from scr_rules.testing import random_document

PLAIN = b'{"schema":"scr-case/1","case_ref":"EX-1","facts":{"child_died":true}}'


def _strict(line: bytes) -> object:
    try:
        return ("ok", loads_strict_json(line.decode("utf-8").removeprefix("\ufeff")))
    except (StrictJSONError, ValueError, RecursionError) as exc:
        return ("refused", type(exc).__name__)


@pytest.mark.parametrize(
    "line",
    [
        b'{"a":1,"a":2}',  # a repeated key: orjson keeps the last, strict refuses
        b'{"facts":{"x":true,"x":false}}',
        b'{"case_ref":"a:b","a":1}',  # a colon in text: left to the strict parser
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b'{"a":18446744073709551616}',  # orjson reads it as a float
        b'{"a":1.5}',
        b'{"a":"\\ud800"}',  # a lone surrogate: strict keeps it, orjson refuses
        b"\xef\xbb\xbf" + PLAIN,  # a byte-order mark
        b'{"a":' * 40 + b"1" + b"}" * 40,  # nested deeper than a case file
        b"\xff\xfe",
        b"[1,2,",
        b"",
    ],
)
def test_what_strict_json_refuses_or_reads_otherwise_is_left_to_it(line: bytes) -> None:
    assert quick_json(line) is None


def test_plain_lines_read_as_strict_json_reads_them() -> None:
    rng = random.Random(5)
    for index in range(3000):
        document = random_document(rng, index)
        for separators in ((",", ":"), (", ", ": ")):
            line = json.dumps(document, separators=separators).encode() + b"\n"
            assert quick_json(line) == loads_strict_json(line.decode()), line
    assert quick_json(PLAIN) == json.loads(PLAIN)


def test_a_quick_answer_is_always_the_strict_one() -> None:
    rng = random.Random(6)
    pieces = [b'"a"', b'"b"', b"1", b"true", b"null", b'"x:y"', b"2.5", b"[]", b"{}", b"-0"]
    for _ in range(3000):
        keys = [rng.choice([b'"a"', b'"b"', b'"c"']) for _ in range(rng.randrange(4))]
        body = b",".join(k + b":" + rng.choice(pieces) for k in keys)
        line = b"{" + body + b"}"
        quick = quick_json(line)
        if quick is not None:
            assert ("ok", quick) == _strict(line), line
