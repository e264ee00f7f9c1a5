"""Random documents through ``scr triage``: it decides or it says why not, never a traceback.

Every example runs the CLI in-process with ``catch_exceptions=False``, so an exception
that escapes the CLI fails the test with the input that caused it. The outcome is one of:

- exit 0 with a decision (valid JSON / YAML, or text without colour or trailing blanks), or
- exit 2 with nothing on stdout and a message on stderr starting with ``error:``.
"""

from __future__ import annotations

import json
import string
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scr_rules.case import BASE_FACTS
from scr_rules.cli import app
from scr_rules.decide import published_schema
from tests._shared import DEATH_2008

ERROR_SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(published_schema("error"))

OUTCOMES = {"mandatory", "discretionary", "not_required", "undetermined"}
FIELDS = [
    "schema",
    "case_ref",
    "jurisdiction",
    "incident_date",
    "notification_date",
    "decision_date",
    "facts",
    "expect",
]
FACTS = list(BASE_FACTS)
NEAR_FACTS = ["is_child", "child_dead", "Child_Died", "child_died ", "", "facts", "schema"]
FIRST_DAY, LAST_DAY = date(2006, 4, 1), date(2013, 4, 14)
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RUNNER = CliRunner()
COMMAND = typer.main.get_command(app)  # built once: building it is most of an invocation


def invoke(args: list[str], stdin: bytes | None) -> tuple[int, str, str]:
    """Do what ``CliRunner.invoke(app, args, catch_exceptions=False)`` does, on COMMAND.

    An exception that escapes the CLI propagates and fails the test with its input.
    """
    with RUNNER.isolation(input=stdin) as (stdout, stderr, _):
        try:
            COMMAND.main(args=args, prog_name="scr")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return code, stdout.getvalue().decode(), stderr.getvalue().decode()


# --- strategies ---------------------------------------------------------------------------

names = st.sampled_from(FIELDS + FACTS + NEAR_FACTS) | st.text(max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.integers(min_value=-2, max_value=30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            *("unknown", "yes", "no", "on", "off", "true", "True", "null", "~", "scr-case/1"),
            *("known", "suspected", "not_suspected", "not_a_factor", "present", "none", "adult"),
            *("2008-05-20", "2008-02-30", "2020-01-01", "1210118400", "EX-0001", "EX 0001"),
        ]
    )
)
nested = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(names, children, max_size=5),
    max_leaves=20,
)
good_dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY).map(date.isoformat)
any_dates = good_dates | st.dates().map(date.isoformat) | scalars
# Hypothesis favours small and edge values; draw "rarely" from a list, not from integers.
rarely = st.sampled_from([False] * 7 + [True])
valid_refs = st.sampled_from(["EX-0001", "EX-0002", "T.1", "A/B:C-1"])
case_refs = rarely.flatmap(lambda odd: st.text(max_size=70) if odd else valid_refs)


def fact_values(name: str) -> st.SearchStrategy[Any]:
    """Mostly values the fact accepts, sometimes anything."""
    domain = BASE_FACTS[name]
    valid: st.SearchStrategy[Any]
    if domain.kind == "int":
        valid = st.integers(min_value=domain.minimum or 0, max_value=domain.maximum or 25)
    elif domain.kind == "date":
        valid = good_dates
    elif domain.values and domain.kind == "set":
        valid = st.lists(st.sampled_from(list(domain.values)), unique=True, max_size=3)
    elif domain.values:
        valid = st.sampled_from(list(domain.values))
    else:
        valid = scalars
    return st.sampled_from(["valid"] * 12 + ["unknown", "anything"]).flatmap(
        lambda pick: (
            valid if pick == "valid" else st.just("unknown") if pick == "unknown" else nested
        )
    )


@st.composite
def mutated_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case file with random facts and values, sometimes a few random edits to its fields.

    Most are valid, so the engine is reached often; the rest fail in every way there is.
    """
    document: dict[str, Any] = {"schema": "scr-case/1", "case_ref": draw(case_refs)}
    for field in ("incident_date", "notification_date", "decision_date"):
        if draw(st.booleans()):
            document[field] = draw(any_dates if draw(rarely) else good_dates)
    facts: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(FACTS), max_size=10, unique=True)):
        facts[name] = draw(fact_values(name))
    if draw(rarely):
        facts[draw(st.sampled_from(NEAR_FACTS) | st.text(max_size=10))] = draw(scalars)
    document["facts"] = facts
    for _ in range(draw(st.integers(1, 2)) if draw(rarely) else 0):
        key = draw(st.sampled_from(FIELDS) | st.text(max_size=10))
        if draw(st.booleans()):
            document.pop(key, None)
        else:
            document[key] = draw(nested)
    return document


def serialise(document: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(document, allow_nan=True)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


GOOD_TEXT = serialise(DEATH_2008, as_json=False)
SIGNIFICANT = ":-[]{}&*!|>'\"#%@`,?\n\t \\" + "\x00\x07\x85\ufeff\u2028" + "yn01."


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A valid case file's text with a few characters inserted, deleted or replaced."""
    text = draw(st.sampled_from([GOOD_TEXT, json.dumps(yaml.safe_load(GOOD_TEXT), indent=1)]))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(SIGNIFICANT) | st.characters())
        operation = draw(st.sampled_from(["insert", "delete", "replace"]))
        if operation == "insert":
            text = text[:at] + char + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text


raw_inputs = (
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.text(alphabet=SIGNIFICANT + string.ascii_letters, max_size=200).map(str.encode)
    | st.binary(max_size=40).map(lambda tail: GOOD_TEXT.encode() + tail)
)


# --- running ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def triage(
    data: bytes, workdir: Path, via_stdin: bool, output: str = "json", *options: str
) -> None:
    """Run ``scr triage`` on data and check that it decided or failed cleanly."""
    if via_stdin:
        args, stdin = ["triage", "-"], data
    else:
        path = workdir / "case.yaml"
        path.write_bytes(data)
        args, stdin = ["triage", str(path)], None
    args += ["--format", output, *options]
    code, out, err = invoke(args, stdin)
    assert "Traceback" not in out + err
    if code == 0:
        assert err == ""
        if output == "json":
            decision = json.loads(out)
        elif output == "yaml":
            decision = yaml.safe_load(out)
        else:
            assert "\x1b" not in out  # not a terminal: no colour, and no wrapping either
            for line in out.splitlines():
                assert line == line.rstrip(), repr(line)
            return
        assert decision["outcome"] in OUTCOMES
        assert set(decision["possible_outcomes"]) <= OUTCOMES
        return
    assert code == 2, (code, out, err)
    if output == "text":
        assert out == ""
    else:  # the error as data: one scr-error/1 document, valid against its schema
        document = json.loads(out) if output == "json" else yaml.safe_load(out)
        ERROR_SCHEMA_VALIDATOR.validate(document)
    assert err.startswith("error: "), err
    assert len(err) > len("error: \n"), "an empty message"
    for line in err.splitlines():
        assert line == line.rstrip(), repr(line)


# --- the properties -----------------------------------------------------------------------


@FUZZ
@given(document=nested, as_json=st.booleans(), via_stdin=st.booleans())
def test_random_documents(workdir: Path, document: Any, as_json: bool, via_stdin: bool) -> None:
    triage(serialise(document, as_json).encode(), workdir, via_stdin)


@FUZZ
@given(
    document=mutated_cases(),
    as_json=st.booleans(),
    via_stdin=st.booleans(),
    output=st.sampled_from(["json", "json", "yaml", "text"]),
)
def test_mutated_case_files(
    workdir: Path, document: dict[str, Any], as_json: bool, via_stdin: bool, output: str
) -> None:
    triage(serialise(document, as_json).encode(), workdir, via_stdin, output)


@FUZZ
@given(text=mutated_text(), via_stdin=st.booleans())
def test_mutated_text(workdir: Path, text: str, via_stdin: bool) -> None:
    triage(text.encode("utf-8", "surrogatepass"), workdir, via_stdin)


@FUZZ
@given(data=raw_inputs, via_stdin=st.booleans())
def test_random_bytes(workdir: Path, data: bytes, via_stdin: bool) -> None:
    triage(data, workdir, via_stdin)


option_text = st.text(alphabet=string.ascii_letters + string.digits + "-_=./ ", max_size=25)


@settings(FUZZ, max_examples=200)
@given(
    document=mutated_cases(),
    regime=st.none() | st.sampled_from(["england-2006", "england-2010"]) | option_text,
    decision_date=st.none() | good_dates | st.dates().map(date.isoformat) | option_text,
    assignments=st.lists(
        st.sampled_from(
            [
                "eng2010_harm_limb=mandatory",
                "eng2010_harm_limb=discretionary",
                "eng2006_custody_trigger=true",
                "eng2010_custody_trigger=false",
                "eng2006_regulation_layer=true",
            ]
        )
        | option_text,
        max_size=3,
    ),
    evaluator=st.sampled_from(["durable-rules", "reference"]),
)
def test_random_options(
    workdir: Path,
    document: dict[str, Any],
    regime: str | None,
    decision_date: str | None,
    assignments: list[str],
    evaluator: str,
) -> None:
    options = [f"--evaluator={evaluator}"]
    if regime is not None:
        options.append(f"--regime={regime}")
    if decision_date is not None:
        options.append(f"--decision-date={decision_date}")
    options += [f"--set={assignment}" for assignment in assignments]
    triage(serialise(document, as_json=False).encode(), workdir, True, "json", *options)
