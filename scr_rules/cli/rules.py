"""``scr rules``: list, show and check the rules, list the settings, and export the rules."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from scr_rules.cli._common import (
    EXIT_CHECK_FAILED,
    RulesOption,
    fail,
    rulebook,
    stdout_console,
)
from scr_rules.engine import check_rulebook
from scr_rules.errors import RuleFileError, ScrRulesError, printable
from scr_rules.law import (
    All,
    AnyOf,
    Comparison,
    Condition,
    Not,
    bundled_rules_dir,
    load_questions,
    load_rulebook,
)
from scr_rules.vocabulary import did_you_mean, value_text

rules_app = typer.Typer(help="List, show and check the rules.", no_args_is_help=True)


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
        book = rulebook(rules)
    except ScrRulesError as exc:
        fail(exc)
    ids = [r.id for r in book.regimes]
    if regime is not None and regime not in ids:
        fail(f"unknown regime {regime!r}; expected one of {', '.join(ids)}")
    console = stdout_console()
    for item in book.regimes:
        if regime not in (None, item.id):
            continue
        console.print(f"[bold]{item.id}[/bold]  {item.in_force.span()}  {item.title}")
        for rule in book.rules_for(item.id):
            spec = rule.spec
            switch = (
                (
                    f"  (off unless {spec.enabled_when.setting}="
                    f"{value_text(spec.enabled_when.equals)})"
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
        book = rulebook(rules)
        rule = book.rule(rule_id)
    except ScrRulesError as exc:
        fail(exc)
    except KeyError:
        fail(f"unknown rule {rule_id!r}{did_you_mean(rule_id, (r.id for r in book.rules))}")
    spec = rule.spec
    console = stdout_console()
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
            f"{value_text(spec.enabled_when.equals)}"
        )
    if spec.notes:
        lines.append(f"notes:     {spec.notes}")
    lines.append("examples:")
    lines += [f"  fires={value_text(e.fires)}: {e.name}" for e in spec.examples]
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

    Also checks questions.yaml: every fact has a question, and every entry names a known
    fact and labels each of its values. Exit code 0 when all pass, 1 when a rule file or the
    questions are invalid or an example fails.

    [bold]Example[/bold]

      scr rules check rules/
    """

    try:
        book = rulebook(directory)
    except ScrRulesError as exc:
        fail(exc, EXIT_CHECK_FAILED)
    failures, count = check_rulebook(book)
    questions, question_failures = _check_questions(directory)
    failures = [*failures, *question_failures]
    console = stdout_console()
    for failure in failures:
        console.print(f"FAIL {failure}", markup=False)
    verdict = "failed" if failures else "ok"
    console.print(
        f"{len(book.rules)} rules, {len(book.regimes)} regimes, {count} examples, "
        f"{questions} questions: {verdict} ({book.digest})",
        markup=False,
    )
    if failures:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _check_questions(directory: Path | None) -> tuple[int, list[str]]:
    """Check questions.yaml beside the rules: a question for every fact, and only known ones."""
    try:
        return len(load_questions(directory).questions), []
    except RuleFileError as exc:
        return 0, [f"{printable(exc.source)}: {problem}" for problem in exc.problems]


@rules_app.command("settings")
def rules_settings(rules: RulesOption = None) -> None:
    """List the switches (where sources disagree), their values and defaults.

    [bold]Example[/bold]

      scr triage case.yaml --set eng2006_custody_trigger=true
    """
    try:
        book = rulebook(rules)
    except ScrRulesError as exc:
        fail(exc)
    console = stdout_console()
    for setting in book.settings:
        values = " | ".join(value_text(v) for v in setting.values)
        console.print(f"[bold]{setting.name}[/bold] = {value_text(setting.default)}  ({values})")
        console.print(f"  {setting.description}", markup=False)
        console.print(f"  source: {setting.source}", style="dim", markup=False)


@rules_app.command("export")
def rules_export(
    directory: Annotated[
        Path,
        typer.Argument(
            help="A new or empty directory to write the rules into.", show_default=False
        ),
    ],
) -> None:
    """Write the bundled rules out to a directory, to edit a rule and replay under it.

    The copy is written whole (to a temporary directory beside it, then renamed) and checked:
    its rulebook hash is the bundled one's until a rule is edited.

    [bold]Example[/bold]

      scr rules export rules-draft/

      scr replay decisions.scrlog --rules rules-draft/   (after editing a rule there)
    """
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        fail(f"{directory}: is not a directory; expected a new or empty directory")
    if directory.is_dir() and any(directory.iterdir()):
        fail(f"{directory}: is not empty; expected a new or empty directory (nothing was written)")
    source = bundled_rules_dir()
    try:
        _copy_whole(source, directory)
    except OSError as exc:
        fail(f"{directory}: cannot write the rules: {exc.strerror or type(exc).__name__}")
    copied = sorted(p.relative_to(directory) for p in directory.rglob("*.yaml"))
    if any((directory / p).read_bytes() != (source / p).read_bytes() for p in copied):
        fail(f"{directory}: the copy differs from the bundled rules; expected the same files")
    stdout_console().print(
        f"exported {len(copied)} rule files to {directory} (rulebook {load_rulebook().digest}, "
        f"the bundled rules); edit a rule, then: scr rules check {directory}; "
        f"scr replay LOG --rules {directory}",
        markup=False,
        soft_wrap=True,
    )


def _copy_whole(source: Path, directory: Path) -> None:
    """Copy the rule files into a temporary directory beside ``directory``, then rename it."""
    parent = directory.absolute().parent
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=parent))
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True, ignore=_not_rule_files)
        if directory.is_dir():
            directory.rmdir()  # empty: checked above
        os.rename(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _not_rule_files(folder: str, names: list[str]) -> list[str]:
    """Leave out what is not a rule file or a folder of them (caches, editor files)."""
    return [n for n in names if not n.endswith(".yaml") and not (Path(folder) / n).is_dir()]
