"""Bad input never gives a traceback (issue 2, item 9).

Every bad case file, option or stream gives exit code 2 and one paragraph on stderr that
names the file, the field path, what was wrong and what is expected. Case refs are
synthetic; no names, no narratives.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from scr_rules.case import MAX_DOCUMENT_BYTES, load_case
from scr_rules.errors import CaseFileError
from tests._shared import SCR, Run

HEADER = "schema: scr-case/1\ncase_ref: EX-0001\ndecision_date: 2008-05-20\n"
GOOD = HEADER + (
    "facts:\n"
    "  child_age_at_incident: 2\n"
    "  child_died: true\n"
    "  abuse_or_neglect: known\n"
    "  abuse_or_neglect_factor_in_death: known\n"
)
BOOL_EXPECTED = "expected true, false or unknown"
AGE_EXPECTED = "expected a whole number from 0 to 25 or unknown"
DATE_EXPECTED = "expected YYYY-MM-DD"

Write = Callable[..., str]


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Write:
    """Write a case file (text or bytes) into a fresh working directory; return its name."""
    monkeypatch.chdir(tmp_path)

    def _write(content: str | bytes, name: str = "case.yaml") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return name

    return _write


def flat(text: str) -> str:
    """Join a wrapped message into one line, so substrings do not depend on wrapping."""
    return " ".join(text.split())


def assert_rejected(result: Result, *needles: str, source: str | None = "case.yaml") -> str:
    """Exit 2, nothing on stdout, one 'error:' line per problem on stderr; return them."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    err = result.stderr
    assert err.strip(), "no error printed"
    for line in err.splitlines():  # one problem a line, never wrapped, the same prefix
        assert line.startswith("error: "), line
        assert line == line.rstrip(), f"trailing blank: {line!r}"
    message = flat(err)
    if source is not None:
        assert message.startswith(f"error: {source}: "), message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


# --- the document as a whole --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "location", "what"),
    [
        pytest.param(
            HEADER + "facts:\n  child_died: true\n child_age_at_incident: 2\n",
            "line 6, column 2",
            "expected <block end>",
            id="bad-indentation",
        ),
        pytest.param(
            HEADER + "facts: {child_died: true\n",
            "line 5, column 1",
            "expected ',' or '}'",
            id="unclosed-flow-mapping",
        ),
        pytest.param(
            'schema: scr-case/1\ncase_ref: "EX-0001\n',
            "line 3, column 1",
            "unexpected end of stream",
            id="unclosed-quote",
        ),
        pytest.param(
            '{"schema": "scr-case/1", "case_ref": "EX-0001", "facts": [}',
            "line 1, column 59",
            "expected the node content, but found '}'",
            id="broken-json",
        ),
        pytest.param(
            "schema: scr-case/1\n---\nschema: scr-case/1\n",
            "line 2, column 1",
            "another document",
            id="two-documents",
        ),
    ],
)
def test_syntax_error_gives_line_and_column(
    write: Write, run: Run, text: str, location: str, what: str
) -> None:
    result = run("triage", write(text))
    assert_rejected(result, location, what, "expected")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("- schema: scr-case/1\n- case_ref: EX-0001\n", "a list", id="list"),
        pytest.param('["scr-case/1"]', "a list", id="json-list"),
        pytest.param("scr-case/1\n", "a string", id="string"),
        pytest.param("42\n", "a number", id="number"),
        pytest.param("true\n", "a boolean", id="boolean"),
    ],
)
def test_document_that_is_not_a_mapping(write: Write, run: Run, text: str, kind: str) -> None:
    assert_rejected(
        run("triage", write(text)), f"the document is {kind}", "expected a mapping with 'schema"
    )


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "---\n", "null\n", "~\n"], ids=repr
)
def test_empty_document(write: Write, run: Run, text: str) -> None:
    assert_rejected(run("triage", write(text)), "the document is empty", "expected a scr-case/1")


@pytest.mark.parametrize(
    ("content", "what"),
    [
        pytest.param(b"\x00\x01\x02\x03", "is a binary file", id="nul-bytes"),
        pytest.param(GOOD.encode() + b"\x00", "is a binary file", id="nul-after-text"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file", id="png-header"),
        pytest.param(b"schema: scr-case/1\ncase_ref: \xff\xfe\n", "is not UTF-8", id="bad-utf8"),
        pytest.param("case_ref: é".encode("latin-1"), "is not UTF-8", id="latin-1"),
    ],
)
def test_binary_or_non_utf8_file(write: Write, run: Run, content: bytes, what: str) -> None:
    assert_rejected(run("triage", write(content)), what, "expected YAML or JSON text")


def test_control_character_is_located(write: Write, run: Run) -> None:
    result = run("triage", write(HEADER + "facts: {child_died: \x07}\n"))
    assert_rejected(result, "line 4, column 21", "control character U+0007", "expected")


def test_deeply_nested_document(write: Write, run: Run) -> None:
    assert_rejected(run("triage", write("[" * 50_000)), "nested too deeply")
    assert_rejected(run("triage", write("a: " + "[" * 5_000 + "]" * 5_000)), "nested too deeply")


# --- tags: nothing executes -----------------------------------------------------------------

PAYLOADS = [
    '!!python/object/apply:os.system ["touch marker"]\n',
    HEADER + 'facts: !!python/object/apply:os.system ["touch marker"]\n',
    '!!python/object/apply:builtins.open ["marker", "w"]\n',
    HEADER + "case_ref2: !!python/object/apply:builtins.open [marker, w]\n",
    '!!python/object/new:subprocess.Popen [["touch", "marker"]]\n',
    "!!python/name:os.system\n",
    '{"a": !!python/object/apply:builtins.open ["marker", "w"]}\n',
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_python_tags_never_execute(write: Write, run: Run, tmp_path: Path, text: str) -> None:
    result = run("triage", write(text))
    assert_rejected(result, "could not determine a constructor for the tag", "expected")
    assert not (tmp_path / "marker").exists(), "a YAML tag ran code"


def test_the_marker_payload_is_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: an unsafe loader does create the marker, so the test above means something."""
    monkeypatch.chdir(tmp_path)
    handle = yaml.load(PAYLOADS[2], Loader=yaml.UnsafeLoader)  # noqa: S506 - the control
    handle.close()
    assert (tmp_path / "marker").exists()


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("!!bool yes", "'yes' cannot be read as a boolean"),
        ("!!bool on", "'on' cannot be read as a boolean"),
        ("!!int 0x1F", "'0x1F' cannot be read as a whole number"),
        ("!!int 1_000", "'1_000' cannot be read as a whole number"),
        ("!!float 1", "'1' cannot be read as a decimal number"),
        ("!!set {a, b}", "the tag !!set is not allowed"),
        ("!!binary aGVsbG8=", "the tag !!binary is not allowed"),
        ("!!omap [a: 1]", "the tag !!omap is not allowed"),
        ("!unknown x", "could not determine a constructor for the tag '!unknown'"),
    ],
)
def test_explicit_tags_cannot_bypass_strict_scalars(
    write: Write, run: Run, value: str, what: str
) -> None:
    result = run("triage", write(HEADER + f"facts:\n  child_died: {value}\n"))
    assert_rejected(result, "line 5, column 15", what, "expected")


# --- wrong types, ranges, dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('"yes"', "'yes'"),
        ("yes", "'yes'"),
        ("no", "'no'"),
        ("on", "'on'"),
        ("off", "'off'"),
        ("y", "'y'"),
        ("1", "1"),
        ("0", "0"),
        ('"true"', "'true'"),
        ("'false'", "'false'"),
        ("1.0", "1.0"),
        ("[true]", "[true]"),
        ("{value: true}", '{"value": true}'),
    ],
)
def test_booleans_are_only_true_or_false(write: Write, run: Run, value: str, shown: str) -> None:
    result = run("triage", write(HEADER + f"facts:\n  child_died: {value}\n"))
    assert_rejected(result, f"facts.child_died: {shown} is not valid; {BOOL_EXPECTED}")


@pytest.mark.parametrize(
    ("fact", "value", "expected"),
    [
        ("abuse_or_neglect", "maybe", "expected 'known', 'suspected', 'not_suspected' or unknown"),
        ("abuse_or_neglect", "true", "expected 'known', 'suspected', 'not_suspected' or unknown"),
        ("dhr_initiated", "Statutory", "expected 'statutory', 'non_statutory', 'none' or unknown"),
        ("died_in", "prison", "'police_custody'"),
        ("interagency_concern", "yes", "expected 'present', 'uncertain', 'absent' or unknown"),
    ],
)
def test_enum_facts_name_their_values(
    write: Write, run: Run, fact: str, value: str, expected: str
) -> None:
    result = run("triage", write(HEADER + f"facts:\n  {fact}: {value}\n"))
    assert_rejected(result, f"facts.{fact}:", "is not valid", expected)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("-1", "-1"),
        ("26", "26"),
        ("3.5", "3.5"),
        ("3.0", "3.0"),
        ('"3"', "'3'"),
        ("true", "true"),
        ("0x1F", "'0x1F'"),
        ("1e1", "'1e1'"),
        ("1" * 40, "1" * 40),
        ("twelve", "'twelve'"),
    ],
)
def test_age_out_of_range_or_wrong_type(write: Write, run: Run, value: str, shown: str) -> None:
    result = run("triage", write(HEADER + f"facts:\n  child_age_at_incident: {value}\n"))
    assert_rejected(result, f"facts.child_age_at_incident: {shown} is not valid; {AGE_EXPECTED}")


def test_age_in_json_out_of_range(write: Write, run: Run) -> None:
    text = (
        '{"schema": "scr-case/1", "case_ref": "EX-0001", "decision_date": "2008-05-20", '
        '"facts": {"child_age_at_incident": 1e400}}'
    )
    result = run("triage", write(text, "case.json"))
    assert_rejected(result, "facts.child_age_at_incident", AGE_EXPECTED, source="case.json")


def test_a_number_too_long_to_convert(write: Write, run: Run) -> None:
    result = run("triage", write(HEADER + "facts:\n  child_age_at_incident: " + "9" * 5000 + "\n"))
    assert_rejected(result, "line 5, column 26", "a number of 5000 digits is too long")


@pytest.mark.parametrize(("text", "age"), [("010", 10), ("09", 9), ("+7", 7), ("0", 0)])
def test_leading_zeros_are_decimal_never_octal(write: Write, text: str, age: int) -> None:
    """YAML 1.1 reads 010 as octal 8 (a wrong age) and 09 as an error: both are decimal here."""
    case = load_case(write(HEADER + f"facts:\n  child_age_at_incident: {text}\n"))
    assert case.facts.child_age_at_incident == age


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("decision_date", "2008-02-30", "'2008-02-30'"),
        ("decision_date", "2008-13-01", "'2008-13-01'"),
        ("incident_date", "2009-02-29", "'2009-02-29'"),
        ("notification_date", "2008-5-2", "'2008-5-2'"),
        ("decision_date", "20/05/2008", "'20/05/2008'"),
        ("decision_date", "2008-05-20T10:00:00", "'2008-05-20T10:00:00'"),
        ("decision_date", "1210118400", "1210118400"),
        ("decision_date", '"1210118400"', "'1210118400'"),
        ("decision_date", "2008", "2008"),
        ("decision_date", "yesterday", "'yesterday'"),
        ("decision_date", "[2008, 5, 20]", "[2008, 5, 20]"),
        ("decision_date", "true", "true"),
    ],
)
def test_impossible_or_misspelt_dates(
    write: Write, run: Run, field: str, value: str, shown: str
) -> None:
    text = f"schema: scr-case/1\ncase_ref: EX-0001\n{field}: {value}\n"
    result = run("triage", write(text))
    assert_rejected(result, f"{field}: {shown} is not a valid date; {DATE_EXPECTED}")


def test_dates_may_be_quoted_or_tagged(write: Write, run: Run) -> None:
    for value in ('"2008-05-20"', "'2008-05-20'", "!!str 2008-05-20", "!!timestamp 2008-05-20"):
        text = f"schema: scr-case/1\ncase_ref: EX-0001\ndecision_date: {value}\n"
        assert run("triage", write(text)).exit_code == 0, value


# --- unknown, derived, null and missing fields ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        pytest.param(
            HEADER + "facts:\n  child_dead: true\n",
            ("facts.child_dead: unknown fact 'child_dead' (did you mean 'child_died'?)",),
            id="fact-typo",
        ),
        pytest.param(
            HEADER + "facts:\n  abuse_or_neglect_factor_in_deaths: known\n",
            ("did you mean 'abuse_or_neglect_factor_in_death'?",),
            id="fact-plural",
        ),
        pytest.param(
            HEADER + "facts:\n  favourite_colour: blue\n",
            ("facts.favourite_colour: unknown fact 'favourite_colour'", "expected a fact name"),
            id="fact-no-close-match",
        ),
        pytest.param(
            HEADER + "decison_date: 2008-05-20\n",
            ("decison_date: unknown field 'decison_date' (did you mean 'decision_date'?)",),
            id="field-typo",
        ),
        pytest.param(
            HEADER + "child_died: true\n",
            ("child_died: unknown field 'child_died'", "expected one of schema, case_ref"),
            id="fact-at-top-level",
        ),
        pytest.param(
            HEADER + "expect:\n  outcome: mandatory\n  outcomes: [mandatory]\n",
            ("expect.outcomes: unknown expect field 'outcomes'",),
            id="expect-typo",
        ),
        pytest.param(
            HEADER + "1: x\n",
            ("1: the key 1 is not text; expected a name",),
            id="number-key",
        ),
        pytest.param(
            HEADER + "facts:\n  true: 1\n",
            ("facts.true: the key true is not text; expected a name",),
            id="boolean-fact-key",
        ),
        pytest.param(
            HEADER + "jurisdiction: scotland\n",
            ("jurisdiction: 'scotland' is not valid; expected 'england' or 'wales'",),
            id="jurisdiction",
        ),
    ],
)
def test_unknown_fields_and_facts(
    write: Write, run: Run, text: str, needles: tuple[str, ...]
) -> None:
    assert_rejected(run("triage", write(text)), *needles, "expected")


def test_is_child_is_derived_not_given(write: Write, run: Run) -> None:
    result = run("triage", write(HEADER + "facts:\n  is_child: true\n"))
    assert_rejected(
        result,
        "facts.is_child: unknown fact 'is_child'",
        "derived from child_age_at_incident",
        "expected child_age_at_incident",
    )


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (HEADER + "facts:\n  child_died: null\n", "facts.child_died: null is not a value"),
        (HEADER + "facts:\n  child_died:\n", "facts.child_died: null is not a value"),
        (HEADER + "facts:\n  child_died: ~\n", "facts.child_died: null is not a value"),
        (HEADER + "facts:\n  abuse_or_neglect: null\n", "facts.abuse_or_neglect: null is not"),
        (HEADER + "facts:\n", "facts: null given; expected a mapping"),
        (HEADER + "facts: null\n", "facts: null given; expected a mapping"),
        (HEADER + "facts: [child_died]\n", "facts: list given; expected a mapping"),
        (HEADER + "facts: child_died\n", "facts: string given; expected a mapping"),
        ("schema: scr-case/1\ncase_ref: null\n", "case_ref: null is not a valid reference"),
        ("schema: null\ncase_ref: EX-0001\n", "schema: null is not supported"),
    ],
)
def test_null_values(write: Write, run: Run, text: str, needle: str) -> None:
    assert_rejected(run("triage", write(text)), needle, "expected")


@pytest.mark.parametrize("field", ["decision_date", "notification_date", "expect"])
def test_null_optional_fields_are_absent(write: Write, run: Run, field: str) -> None:
    text = f"schema: scr-case/1\ncase_ref: EX-0001\n{field}: null\n"
    result = run("triage", write(text), "--regime", "england-2006")
    assert result.exit_code == 0, result.output


def test_null_fact_says_to_leave_it_out(write: Write, run: Run) -> None:
    result = run("triage", write(HEADER + "facts:\n  child_died: null\n"))
    assert_rejected(result, BOOL_EXPECTED, "(or leave the fact out)")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("schema: scr-case/2\ncase_ref: EX-0001\n", "schema: 'scr-case/2' is not supported"),
        ("schema: scr-case/1.0\ncase_ref: EX-0001\n", "schema: 'scr-case/1.0' is not supported"),
        ("schema: 1\ncase_ref: EX-0001\n", "schema: 1 is not supported"),
        ("case_ref: EX-0001\n", "schema: is required"),
    ],
)
def test_wrong_or_missing_schema(write: Write, run: Run, text: str, needle: str) -> None:
    assert_rejected(run("triage", write(text)), needle, "expected 'scr-case/1'")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("EX 0001", "'EX 0001'"),
        ('"EX-0001 "', "'EX-0001 '"),
        ('" EX-0001"', "' EX-0001'"),
        ("-EX-0001", "'-EX-0001'"),
        ('""', "''"),
        ("A" * 65, "'" + "A" * 56 + "..."),
        ("12345", "12345"),
        ("[EX-0001]", '["EX-0001"]'),
        ("EX-0001;rm", "'EX-0001;rm'"),
    ],
)
def test_case_ref_must_be_an_opaque_reference(
    write: Write, run: Run, value: str, shown: str
) -> None:
    result = run("triage", write(f"schema: scr-case/1\ncase_ref: {value}\n"))
    assert_rejected(result, f"case_ref: {shown}", "expected 1-64 letters, digits", "never a name")


def test_missing_case_ref(write: Write, run: Run) -> None:
    result = run("triage", write("schema: scr-case/1\ndecision_date: 2008-05-20\n"))
    assert_rejected(result, "case_ref: is required; expected an opaque reference")


def test_a_huge_value_is_cut_in_the_message(write: Write, run: Run) -> None:
    big = "A" * 200_000
    text = f'{{"schema": "scr-case/1", "case_ref": "{big}", "B{big}": 1}}'
    result = run("triage", write(text, "case.json"))
    message = assert_rejected(
        result, "case_ref: 'AAAA", "...", "unknown field 'BAAA", source="case.json"
    )
    assert len(message) < 1000


# --- contradictions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "first", "second"),
    [
        pytest.param(
            "child_died: false\n  abuse_or_neglect_factor_in_death: known",
            "abuse_or_neglect_factor_in_death",
            "child_died",
            id="factor-without-death",
        ),
        pytest.param(
            "child_died: false\n  death_suspected_suicide: true",
            "death_suspected_suicide",
            "child_died",
            id="suicide-without-death",
        ),
        pytest.param(
            "child_died: false\n  died_in: police_custody",
            "died_in",
            "child_died",
            id="place-of-death-without-death",
        ),
        pytest.param(
            "child_died: false\n  killed_by_relative_with_risk_factor: true",
            "killed_by_relative_with_risk_factor",
            "child_died",
            id="killed-without-death",
        ),
        pytest.param(
            "abuse_or_neglect: not_suspected\n  abuse_or_neglect_factor_in_death: suspected",
            "abuse_or_neglect_factor_in_death",
            "abuse_or_neglect",
            id="factor-without-abuse",
        ),
        pytest.param(
            "abuse_or_neglect: not_suspected\n  sexual_abuse: true",
            "sexual_abuse",
            "abuse_or_neglect",
            id="sexual-abuse-without-abuse",
        ),
    ],
)
def test_contradictory_facts_name_both_fields(
    write: Write, run: Run, facts: str, first: str, second: str
) -> None:
    result = run("triage", write(HEADER + f"facts:\n  {facts}\n"))
    assert_rejected(result, f"facts.{first}: contradicts facts.{second}", "expected")


@pytest.mark.parametrize(
    ("dates", "later", "earlier"),
    [
        ("incident_date: 2009-01-01\ndecision_date: 2008-05-20", "decision_date", "incident_date"),
        (
            "notification_date: 2008-06-01\ndecision_date: 2008-05-20",
            "decision_date",
            "notification_date",
        ),
        (
            "incident_date: 2008-05-03\nnotification_date: 2008-05-02",
            "notification_date",
            "incident_date",
        ),
    ],
)
def test_dates_out_of_order_name_both_fields(
    write: Write, run: Run, dates: str, later: str, earlier: str
) -> None:
    result = run("triage", write(f"schema: scr-case/1\ncase_ref: EX-0001\n{dates}\n"))
    assert_rejected(result, f"{later}: ", f"is before {earlier}", f"expected {earlier} <= {later}")


def test_consistent_facts_are_accepted(write: Write, run: Run) -> None:
    text = HEADER + (
        "facts:\n  child_died: false\n  abuse_or_neglect_factor_in_death: not_a_factor\n"
        "  death_suspected_suicide: false\n  died_in: none\n"
    )
    assert run("triage", write(text)).exit_code == 0


# --- files: missing, directories, size, anchors, duplicates ---------------------------------


def test_missing_file(write: Write, run: Run) -> None:
    write(GOOD)  # the directory exists; the file asked for does not
    result = run("triage", "no-such-case.yaml")
    assert_rejected(result, "no such file", "expected the path of a case file", source=None)
    assert flat(result.stderr).startswith("error: no-such-case.yaml: ")


def test_a_directory(write: Write, run: Run, tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    write(GOOD)
    result = run("triage", "cases")
    assert_rejected(result, "is a directory; expected a case file", source="cases")


def test_a_file_name_too_long_to_open(write: Write, run: Run) -> None:
    write(GOOD)
    name = "c" * 5000 + ".yaml"
    result = runner_subprocess("triage", name)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert "cannot be read" in flat(err)
    in_process = run("triage", name)
    assert in_process.exit_code == 2
    assert "cannot be read" in flat(in_process.stderr)


def test_a_file_over_the_size_limit(write: Write, run: Run) -> None:
    text = GOOD + "# " + "x" * MAX_DOCUMENT_BYTES + "\n"
    assert_rejected(run("triage", write(text)), "larger than 1,048,576 bytes")


def test_a_file_exactly_at_the_size_limit_is_read(write: Write, run: Run) -> None:
    padding = MAX_DOCUMENT_BYTES - len(GOOD.encode()) - 3
    text = GOOD + "# " + "x" * padding + "\n"
    assert len(text.encode()) == MAX_DOCUMENT_BYTES
    result = run("triage", write(text), "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"outcome": "mandatory"' in result.stdout


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        pytest.param(BILLION_LAUGHS, "line 1, column 4", id="billion-laughs"),
        pytest.param(HEADER + "facts: &f {child_died: true}\n", "line 4, column 8", id="anchor"),
        pytest.param(
            "schema: &s scr-case/1\ncase_ref: EX-0001\n", "line 1, column 9", id="scalar-anchor"
        ),
        pytest.param(HEADER + "facts:\n  child_died: *t\n", "line 5, column 15", id="alias"),
        pytest.param(
            HEADER + "x: &x {child_died: true}\nfacts:\n  <<: *x\n",
            "line 4, column 4",
            id="merge-key",
        ),
    ],
)
def test_anchors_and_aliases_are_refused(write: Write, run: Run, text: str, location: str) -> None:
    started = time.monotonic()
    result = run("triage", write(text))
    assert time.monotonic() - started < 5
    assert_rejected(result, location, "anchors (&name) and aliases (*name) are not allowed")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GOOD + "case_ref: EX-0002\n", "line 9, column 1: duplicate key 'case_ref'"),
        (
            HEADER + "facts:\n  child_died: true\n  child_died: false\n",
            "duplicate key 'child_died'",
        ),
        (
            '{"schema": "scr-case/1", "case_ref": "EX-0001", "case_ref": "EX-0002"}',
            "line 1, column 49: duplicate key 'case_ref'",
        ),
        (
            '{\n\t"schema": "scr-case/1",\n\t"schema": "scr-case/1"\n}',
            "line 3, column 2: duplicate key 'schema'",
        ),
    ],
)
def test_duplicate_keys(write: Write, run: Run, text: str, needle: str) -> None:
    assert_rejected(run("triage", write(text)), needle, "expected each key once")


def test_json_indented_with_tabs_is_read(write: Write, run: Run) -> None:
    text = (
        '{\n\t"schema": "scr-case/1",\n\t"case_ref": "EX-0001",\n'
        '\t"decision_date": "2008-05-20",\n\t"facts": {\n\t\t"child_age_at_incident": 2,\n'
        '\t\t"child_died": true,\n\t\t"abuse_or_neglect_factor_in_death": "known"\n\t}\n}\n'
    )
    result = run("triage", write(text, "case.json"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"outcome": "mandatory"' in result.stdout


def test_json_keeps_the_strict_booleans(write: Write, run: Run) -> None:
    text = '{"schema": "scr-case/1", "case_ref": "EX-0001", "facts": {"child_died": "true"}}'
    result = run("triage", write(text, "case.json"))
    assert_rejected(result, "facts.child_died: 'true' is not valid", source="case.json")


# --- several problems at once ---------------------------------------------------------------


def test_every_problem_is_reported_at_once(write: Write, run: Run) -> None:
    text = (
        "schema: scr-case/1\ncase_ref: EX 0001\ndecision_date: 2008-02-30\nfavourite: 1\n"
        "facts:\n  child_dead: true\n  child_died: 'yes'\n  child_age_at_incident: 26\n"
        "  is_child: true\n"
    )
    result = run("triage", write(text))
    message = assert_rejected(
        result,
        "case_ref: 'EX 0001' is not a valid reference",
        "decision_date: '2008-02-30' is not a valid date",
        "favourite: unknown field 'favourite'",
        "facts.child_dead: unknown fact 'child_dead' (did you mean 'child_died'?)",
        "facts.child_died: 'yes' is not valid",
        "facts.child_age_at_incident: 26 is not valid",
        "facts.is_child: unknown fact 'is_child'",
    )
    assert message.count("case.yaml: ") == 7  # every line names the file
    assert len(result.stderr.strip().splitlines()) >= 7


def test_library_error_lists_every_problem(write: Write) -> None:
    name = write(HEADER + "facts:\n  child_dead: true\n  child_died: 1\n")
    with pytest.raises(CaseFileError) as caught:
        load_case(name)
    locations = [problem.loc for problem in caught.value.problems]
    assert sorted(locations) == ["facts.child_dead", "facts.child_died"]
    assert caught.value.source == name


# --- standard input -----------------------------------------------------------------------


def test_stdin_good(run: Run) -> None:
    result = run("triage", "-", "--format", "json", stdin=GOOD)
    assert result.exit_code == 0, result.output
    assert '"case_ref": "EX-0001"' in result.stdout


def test_stdin_bad(run: Run) -> None:
    result = run("triage", "-", stdin=HEADER + "facts:\n  child_dead: true\n")
    assert_rejected(result, "facts.child_dead", "did you mean 'child_died'?", source="<stdin>")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "the document is empty"),
        (b"schema: scr-case/1\ncase_ref: \xff\n", "is not UTF-8"),
        (b"\x00\x01binary", "is a binary file"),
        (b"a: [", "line 1, column 5"),
        (("# " + "x" * MAX_DOCUMENT_BYTES).encode(), "larger than 1,048,576 bytes"),
    ],
)
def test_stdin_bad_bytes(run: Run, data: bytes, what: str) -> None:
    assert_rejected(run("triage", "-", stdin=data), what, source="<stdin>")


def test_stdin_tag_never_executes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("triage", "-", stdin=PAYLOADS[2])
    assert_rejected(result, "could not determine a constructor", source="<stdin>")
    assert not (tmp_path / "marker").exists()


# --- options ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2008-02-30", "20/05/2008", "yesterday", "", "2008-5-20"])
def test_invalid_decision_date_option(write: Write, run: Run, value: str) -> None:
    result = run("triage", write(GOOD), "--decision-date", value)
    assert_rejected(
        result, f"--decision-date: '{value}' is not a valid date", DATE_EXPECTED, source=None
    )


def test_unknown_regime(write: Write, run: Run) -> None:
    result = run("triage", write(GOOD), "--regime", "england-2099")
    assert_rejected(
        result,
        "unknown regime 'england-2099'; expected one of england-2006, england-2010, england-2013",
        source=None,
    )


@pytest.mark.parametrize(
    ("assignment", "needles"),
    [
        ("eng2010_harm_limbs=mandatory", ("unknown setting", "did you mean 'eng2010_harm_limb'?")),
        ("no_such_switch=true", ("unknown setting 'no_such_switch'", "scr rules settings")),
        ("eng2010_harm_limb=maybe", ("'maybe' is not one of discretionary, mandatory",)),
        ("eng2006_custody_trigger=yes", ("'yes' is not one of true, false",)),
        ("eng2010_harm_limb", ("expected NAME=VALUE",)),
        ("=mandatory", ("expected NAME=VALUE",)),
    ],
)
def test_bad_setting(write: Write, run: Run, assignment: str, needles: tuple[str, ...]) -> None:
    result = run("triage", write(GOOD), "--set", assignment)
    assert_rejected(result, *needles, source=None)


@pytest.mark.parametrize("name", ["no-such-rules", "r" * 5000])
def test_bad_rules_directory(write: Write, run: Run, name: str) -> None:
    """A missing or unreadable --rules directory is bad input (exit 2); for check, exit 1."""
    result = run("triage", write(GOOD), "--rules", name)
    assert_rejected(result, "directory of rule files", source=None)
    check = run("rules", "check", name)
    assert check.exit_code == 1, check.output
    assert "Traceback" not in check.output
    assert flat(check.stderr).startswith("error: ")


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "xml"),
        ("--evaluator", "magic"),
        ("--no-such-option",),
        ("extra-argument",),
    ],
)
def test_usage_errors_exit_2(write: Write, run: Run, args: tuple[str, ...]) -> None:
    result = run("triage", write(GOOD), *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_triage_without_a_file_is_a_usage_error(run: Run) -> None:
    result = run("triage")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Missing argument" in result.output


# --- regime by date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "day"),
    [
        ("decision_date", "2005-01-01"),
        ("decision_date", "2006-03-31"),
        ("notification_date", "1999-12-31"),
        ("incident_date", "2001-01-01"),
    ],
)
def test_a_date_outside_every_regime(write: Write, run: Run, field: str, day: str) -> None:
    text = f"schema: scr-case/1\ncase_ref: EX-0001\n{field}: {day}\n"
    result = run("triage", write(text))
    assert_rejected(
        result,
        f"{field} {day} falls outside every supported",
        "england-2006 2006-04-01 .. 2010-03-16",
        "england-2010 2010-03-17 .. 2013-04-14",
        "no decision is given rather than a guess",
    )


def test_decision_date_option_outside_every_regime(write: Write, run: Run) -> None:
    result = run("triage", write(GOOD), "--decision-date", "2006-03-31")
    assert_rejected(result, "--decision-date 2006-03-31 falls outside", source=None)


def test_a_case_without_any_date_needs_a_regime(write: Write, run: Run) -> None:
    name = write("schema: scr-case/1\ncase_ref: EX-0001\nfacts:\n  child_died: true\n")
    result = run("triage", name)
    assert_rejected(result, "no date to choose the law by", "decision_date", "--regime")
    assert run("triage", name, "--regime", "england-2010").exit_code == 0
    assert run("triage", name, "--decision-date", "2011-06-01").exit_code == 0


@pytest.mark.parametrize("day", ["2006-04-01", "2010-03-16", "2010-03-17", "2013-04-14"])
def test_the_edges_of_the_supported_dates_decide(write: Write, run: Run, day: str) -> None:
    text = f"schema: scr-case/1\ncase_ref: EX-0001\ndecision_date: {day}\n"
    assert run("triage", write(text)).exit_code == 0


# --- in a real process: the main() wrapper, the locale, the marker ---------------------------


def runner_subprocess(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m scr_rules`` in the current directory with a clean debug setting."""
    environment = {k: v for k, v in os.environ.items() if k != "SCR_DEBUG"}
    environment.update(env)
    return subprocess.run(
        [*SCR, *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_real_process_strict_stdin_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Invalid UTF-8 on stdin was exit 3 when Python's stdin decoding was strict."""
    monkeypatch.chdir(tmp_path)
    result = runner_subprocess(
        "triage", "-", stdin=b"schema: scr-case/1\ncase_ref: \xff\n", PYTHONIOENCODING="utf-8"
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert flat(err).startswith("error: <stdin>: is not UTF-8 text")


def test_real_process_reads_utf8_stdin_under_a_latin1_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = (HEADER + "facts:\n  child_died: é\n").encode()
    result = runner_subprocess("triage", "-", stdin=data, PYTHONIOENCODING="latin-1")
    assert result.returncode == 2
    assert "'é' is not valid" in result.stderr.decode("latin-1")


def test_real_process_tag_never_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "case.yaml").write_text(PAYLOADS[0])
    result = runner_subprocess("triage", "case.yaml")
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert not (tmp_path / "marker").exists()
