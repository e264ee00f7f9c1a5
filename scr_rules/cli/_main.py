"""The ``scr`` command line: triage a case, inspect and check the rules, print the schema.

Exit codes: 0 a decision was made (any outcome) or a check passed; 1 a check failed;
2 bad input or usage (the message says which file, which field and what was expected);
3 an internal error (a bug: please report it with the case file's shape, not its data).
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
import yaml
from rich.console import Console

from scr_rules.case import MAX_DOCUMENT_BYTES, Case, load_case
from scr_rules.cli import _recording as recording
from scr_rules.cli._common import (
    CaseFileArgument,
    EvaluatorChoice,
    EvaluatorOption,
    RegimeOption,
    RulesOption,
    SetOption,
)
from scr_rules.cli.audit import audit_app
from scr_rules.cli.audit import replay as replay_command
from scr_rules.cli.batch import batch as batch_command
from scr_rules.cli.compare import compare
from scr_rules.decide import Decision
from scr_rules.decide import triage as decide
from scr_rules.errors import RegimeError, RuleFileError, ScrRulesError
from scr_rules.law import (
    All,
    AnyOf,
    Comparison,
    Condition,
    Not,
    RuleBook,
    load_rulebook,
    parse_assignments,
)
from scr_rules.render import WIDTH, render_text

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="scr",
    help="Decide whether a child-safeguarding Serious Case Review is required, and say why.\n\n"
    "Start with:  scr triage cases/death-neglect-factor-2008.yaml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # case data must never reach a terminal log
    rich_markup_mode="rich",
)
rules_app = typer.Typer(help="List, show and check the rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.command("compare")(compare)


class Format(StrEnum):
    """Output formats of ``scr triage``."""

    text = "text"
    json = "json"
    yaml = "yaml"


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    console = Console(stderr=True, width=WIDTH, highlight=False)
    with console.capture() as captured:  # wrapped to 100 columns, without trailing blanks
        console.print(f"error: {message}", markup=False)
    sys.stderr.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")
    raise typer.Exit(code)


_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)(?=\n)")


class _NoTrailingBlanks:
    """A text stream that drops the blanks rich leaves at the end of wrapped lines."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_TRAILING_BLANKS.sub(r"\1", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _stdout_console() -> Console:
    """Return a 100-column console on stdout whose lines end without blanks."""
    stream = _NoTrailingBlanks(sys.stdout)
    return Console(width=WIDTH, highlight=False, file=stream)  # type: ignore[arg-type]


def _read_stdin() -> str:
    """Read at most one byte past the size limit from stdin, whatever the locale says.

    The bytes pass through as surrogates, so read_text reports invalid UTF-8, NUL bytes and
    the size limit exactly as it does for a file.
    """
    if sys.stdin is None:  # closed: read as an empty document
        return ""
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None:  # a text-only stdin (an embedding host): it is already decoded
            return sys.stdin.read(MAX_DOCUMENT_BYTES + 1)
        data: bytes = stream.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"<stdin>: cannot be read ({type(exc).__name__}); expected a case file")
    return data.decode("utf-8", errors="surrogateescape")


def _rulebook(rules: Path | None) -> RuleBook:
    try:
        return load_rulebook(rules)
    except OSError as exc:  # e.g. a path too long to resolve: bad input, not a crash
        why = exc.strerror or type(exc).__name__
        raise RuleFileError(
            str(rules), f"cannot be read ({why}); expected a directory of rule files"
        ) from None


def _parse_date(text: str | None, option: str = "--decision-date") -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} {text!r} is not a valid date; expected YYYY-MM-DD, e.g. 2008-05-20")


@app.command()
def triage(
    file: CaseFileArgument,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text for people, json/yaml for machines.")
    ] = Format.text,
    regime: RegimeOption = None,
    decision_date: Annotated[
        str | None,
        typer.Option(
            help="The date the decision is taken (YYYY-MM-DD); overrides the case file's."
        ),
    ] = None,
    set_: SetOption = None,
    evaluator: EvaluatorOption = EvaluatorChoice.durable,
    rules: RulesOption = None,
    today: Annotated[
        str | None,
        typer.Option(help="Flag duties overdue against this date (YYYY-MM-DD); none: no flags."),
    ] = None,
    record: recording.RecordOption = None,
    by: recording.ByOption = None,
    human_decision: recording.HumanDecisionOption = None,
    human_reason: recording.HumanReasonOption = None,
    pseudonymise: recording.PseudonymiseOption = False,
) -> None:
    """Decide one case: mandatory, discretionary, not required, or undetermined.

    The regime (the law in force) is chosen by the case's decision_date (then its
    notification_date, then its incident_date); the output says which date was used.

    [bold]Examples[/bold]

      scr triage cases/death-neglect-factor-2008.yaml

      scr triage case.json --format json > decision.json

      cat case.yaml | scr triage - --regime england-2010

      scr triage case.yaml --set eng2010_harm_limb=mandatory

      scr triage case.yaml --today 2020-01-06   (flags overdue notifications)

      scr triage case.yaml --record decisions.scrlog --by duty-officer-3

      scr triage case.yaml --record decisions.scrlog --human-decision declined \\
          --human-reason "below threshold; single-agency learning review"

    Exit code 0 whatever the outcome; 2 when the case file or an option is wrong.
    """
    try:
        to_record = recording.recording(record, by, human_decision, human_reason, pseudonymise)
        stdin_text = _read_stdin() if file == "-" else None
        case = load_case(file, stdin_text)
        book = _rulebook(rules)
        decision = decide(
            case,
            regime,
            rulebook=book,
            settings=parse_assignments(set_ or []),
            decision_date=_parse_date(decision_date),
            evaluator=evaluator.value,  # type: ignore[arg-type]
            today=_parse_date(today, "--today"),
        )
    except RegimeError as exc:
        # No --regime and no --decision-date: the case file's dates chose, so name the file.
        from_file = regime is None and decision_date is None
        _fail(f"{'<stdin>' if file == '-' else file}: {exc}" if from_file else str(exc))
    except ScrRulesError as exc:
        _fail(str(exc))
    if to_record is not None:
        try:
            recording.record_decision(to_record, case, decision, book)
        except ScrRulesError as exc:
            _fail(str(exc))
    _print_decision(decision, output_format)


def _print_decision(decision: Decision, output_format: Format) -> None:
    if output_format is Format.json:
        sys.stdout.write(decision.to_json() + "\n")
    elif output_format is Format.yaml:
        sys.stdout.write(
            yaml.safe_dump(
                decision.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=WIDTH
            )
        )
    else:
        sys.stdout.write(render_text(decision, Console(width=WIDTH, highlight=False)))


@app.command()
def schema(
    what: Annotated[str, typer.Argument(help="case (the case file) or decision.")] = "case",
) -> None:
    """Print the JSON Schema of the case file (or of the decision).

    [bold]Examples[/bold]

      scr schema > scr-case.schema.json

      scr schema decision
    """
    models = {"case": Case, "decision": Decision}
    if what not in models:
        _fail(f"unknown schema {what!r}; expected 'case' or 'decision'")
    sys.stdout.write(json.dumps(models[what].model_json_schema(by_alias=True), indent=2) + "\n")


@rules_app.command("list")
def rules_list(
    regime: Annotated[str | None, typer.Option(help="Only this regime's rules.")] = None,
    rules: RulesOption = None,
) -> None:
    """List the regimes and their rules, with outcome, evidence and switches.

    [bold]Example[/bold]

      scr rules list --regime england-2010
    """
    try:
        book = _rulebook(rules)
    except ScrRulesError as exc:
        _fail(str(exc))
    ids = [r.id for r in book.regimes]
    if regime is not None and regime not in ids:
        _fail(f"unknown regime {regime!r}; expected one of {', '.join(ids)}")
    console = _stdout_console()
    for item in book.regimes:
        if regime not in (None, item.id):
            continue
        console.print(f"[bold]{item.id}[/bold]  {item.in_force.span()}  {item.title}")
        for rule in book.rules_for(item.id):
            spec = rule.spec
            switch = (
                (
                    f"  (off unless {spec.enabled_when.setting}="
                    f"{str(spec.enabled_when.equals).lower()})"
                )
                if spec.enabled_when
                else ""
            )
            outcome = f"{spec.outcome_setting}" if spec.outcome_setting else spec.outcome
            console.print(
                f"  {rule.id}  [{outcome}; {spec.citation.evidence}; "
                f"{spec.citation.catalogue}]{switch}",
                markup=False,
            )
    console.print(f"rulebook {book.digest}", style="dim")


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, as 'scr rules list' prints it.")],
    rules: RulesOption = None,
) -> None:
    """Show one rule: its citation, condition, reason and examples.

    [bold]Example[/bold]

      scr rules show england.wt-2006.ch8-child-death
    """
    try:
        book = _rulebook(rules)
        rule = book.rule(rule_id)
    except ScrRulesError as exc:
        _fail(str(exc))
    except KeyError:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in book.rules], n=1)
        _fail(f"unknown rule {rule_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    spec = rule.spec
    console = _stdout_console()
    console.print(f"[bold]{rule.id}[/bold]  ({rule.path})")
    lines = [
        f"title:     {spec.title}",
        f"regime:    {spec.regime}, in force {spec.in_force.span()}",
        f"outcome:   {spec.outcome}"
        + (f" (from setting {spec.outcome_setting})" if spec.outcome_setting else ""),
        f"force:     {spec.force.replace('_', ' ')}",
        f"source:    {spec.citation.short()}",
        f"evidence:  {spec.citation.evidence} ({spec.citation.catalogue})",
        f"text:      {spec.citation.text}",
        "condition:",
        *("  " + line for line in _condition_lines(rule.condition)),
        f"reason:    {spec.reason}",
    ]
    if spec.enabled_when:
        lines.append(
            f"switch:    evaluated only when {spec.enabled_when.setting} = "
            f"{str(spec.enabled_when.equals).lower()}"
        )
    if spec.notes:
        lines.append(f"notes:     {spec.notes}")
    lines.append("examples:")
    lines += [f"  fires={str(e.fires).lower()}: {e.name}" for e in spec.examples]
    for line in lines:
        console.print(line, markup=False)


def _condition_lines(condition: Condition, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(condition, Comparison):
        return [f"{pad}{condition.fact} is {condition.expected()}"]
    if isinstance(condition, Not):
        return [f"{pad}not:", *_condition_lines(condition.part, depth + 1)]
    word = "all of:" if isinstance(condition, All) else "any of:"
    assert isinstance(condition, All | AnyOf)  # noqa: S101 - exhaustive union
    return [f"{pad}{word}"] + [
        line for part in condition.parts for line in _condition_lines(part, depth + 1)
    ]


@rules_app.command("check")
def rules_check(
    directory: Annotated[
        Path | None,
        typer.Argument(help="A rules directory (default: the bundled rules).", show_default=False),
    ] = None,
) -> None:
    """Validate every rule file and run every rule's examples on both evaluators.

    Exit code 0 when all pass, 1 when a rule file is invalid or an example fails.

    [bold]Example[/bold]

      scr rules check rules/
    """
    from scr_rules.engine import check_rulebook

    try:
        book = _rulebook(directory)
    except ScrRulesError as exc:
        _fail(str(exc), EXIT_CHECK_FAILED)
    failures, count = check_rulebook(book)
    console = _stdout_console()
    for failure in failures:
        console.print(f"FAIL {failure}", markup=False)
    verdict = "failed" if failures else "ok"
    console.print(
        f"{len(book.rules)} rules, {len(book.regimes)} regimes, {count} examples: "
        f"{verdict} ({book.digest})",
        markup=False,
    )
    if failures:
        raise typer.Exit(EXIT_CHECK_FAILED)


@rules_app.command("settings")
def rules_settings(rules: RulesOption = None) -> None:
    """List the switches (where sources disagree), their values and defaults.

    [bold]Example[/bold]

      scr triage case.yaml --set eng2006_custody_trigger=true
    """
    try:
        book = _rulebook(rules)
    except ScrRulesError as exc:
        _fail(str(exc))
    console = _stdout_console()
    for setting in book.settings:
        values = " | ".join(str(v).lower() for v in setting.values)
        console.print(f"[bold]{setting.name}[/bold] = {str(setting.default).lower()}  ({values})")
        console.print(f"  {setting.description}", markup=False)
        console.print(f"  source: {setting.source}", style="dim", markup=False)


app.command("replay")(replay_command)
app.command("batch")(batch_command)
app.add_typer(audit_app, name="audit")


def main() -> None:
    """Run the CLI; turn an unexpected exception into exit code 3 without case data."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("SCR_DEBUG"):
            raise
        Console(stderr=True, width=WIDTH).print(
            f"internal error ({type(exc).__name__}); rerun with SCR_DEBUG=1 for details",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)
