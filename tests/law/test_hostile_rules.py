"""Hostile rules directories are validated, never executed or skipped (issue: hardening 1-4).

Each test builds its hostile input from a copy of the bundled rules: a rule left out
silently could turn a mandatory review into "not required", so every case is an error
that names the file (and the rule), never a dropped rule, a hang or a crash.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scr_rules import RuleFileError, load_rulebook
from scr_rules.law import rulebook_from_canonical

DEATH_RULE = "england/wt-2006/ch8-child-death.yaml"


def _edit(rules: Path, relative: str, change: Any) -> None:
    path = rules / relative
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(json.dumps(document, default=str))  # JSON is YAML, without aliases


def _refused(rules: Path, match: str) -> str:
    with pytest.raises(RuleFileError, match=match) as raised:
        load_rulebook(rules)
    return str(raised.value)


def _nest(depth: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"fact": "child_died", "equals": True}
    for level in range(depth):
        group = "all" if level % 2 else "any"
        condition = {group: [condition, {"fact": "is_child", "equals": True}]}
    return condition


@pytest.mark.parametrize(
    ("condition", "why"),
    [
        ({"any": [{"fact": "is_child", "equals": True}] * 65}, "a group of 65 conditions"),
        (_nest(15), "nested 15 levels deep"),
    ],
)
def test_conditions_beyond_the_engines_limits_are_refused_naming_the_rule(
    rules_copy: Path, condition: dict[str, Any], why: str
) -> None:
    _edit(rules_copy, DEATH_RULE, lambda d: d.update(when=condition))
    message = _refused(rules_copy, why)
    assert "england.wt-2006.ch8-child-death" in message


def test_a_regime_with_thousands_of_comparisons_is_refused(rules_copy: Path) -> None:
    many = {"any": [{"fact": "is_child", "equals": True}] * 30}
    for index in range(40):
        relative = f"england/wt-2006/extra-{index:02d}.yaml"
        source = yaml.safe_load((rules_copy / DEATH_RULE).read_text())
        source["id"] = f"england.wt-2006.extra-{index:02d}"
        source["when"] = {"all": [many, many]}
        source["examples"] = []
        (rules_copy / relative).write_text(json.dumps(source, default=str))
    _refused(rules_copy, "england-2006: 2.* comparisons across its rules")


def test_a_stored_rulebook_with_such_a_rule_is_refused_before_any_engine_runs() -> None:
    book = load_rulebook()
    files = dict(book.canonical["files"])
    death = dict(files[DEATH_RULE])
    death["when"] = _nest(15)
    files[DEATH_RULE] = death
    with pytest.raises(RuleFileError, match="nested 15 levels deep"):
        rulebook_from_canonical({"schema": book.canonical["schema"], "files": files})


def test_in_force_to_before_from_is_refused(rules_copy: Path) -> None:
    _edit(rules_copy, DEATH_RULE, lambda d: d["in_force"].update({"to": "2005-01-01"}))
    _refused(rules_copy, "'to' 2005-01-01 is before 'from' 2006-04-01")


@pytest.mark.parametrize("suffix", [".yml", ".YAML", ".Yaml"])
def test_a_rule_file_with_another_suffix_is_refused_not_ignored(
    rules_copy: Path, suffix: str
) -> None:
    path = rules_copy / DEATH_RULE
    path.rename(path.with_suffix(suffix))
    _refused(rules_copy, "rule files end in '.yaml'")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symlinked_folder_is_refused_not_skipped(rules_copy: Path, tmp_path: Path) -> None:
    folder = rules_copy / "england" / "wt-2006"
    folder.rename(tmp_path / "elsewhere")
    folder.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    _refused(rules_copy, "wt-2006: is a symbolic link")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symlink_loop_and_a_link_to_a_system_file_are_named_not_read(rules_copy: Path) -> None:
    (rules_copy / "loop.yaml").symlink_to(rules_copy / "loop.yaml")
    (rules_copy / "passwd.yaml").symlink_to("/etc/passwd")
    message = _refused(rules_copy, "is a symbolic link")
    assert "loop.yaml" in message
    assert "passwd.yaml" in message
    assert "root:" not in message  # nothing of the linked file is echoed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_a_rules_directory_is_refused_without_hanging(rules_copy: Path) -> None:
    os.mkfifo(rules_copy / "england" / "pipe.yaml")
    _refused(rules_copy, "pipe.yaml: is not a regular file")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda s: s.update(default="true"), "default 'true' is not one of its values"),
        (lambda s: s.update(default="sometimes"), "default 'sometimes' is not one of its values"),
    ],
)
def test_a_setting_default_must_be_one_of_its_values(
    rules_copy: Path, change: Any, match: str
) -> None:
    def edit(document: dict[str, Any]) -> None:
        setting = next(s for s in document["settings"] if s["name"] == "eng2006_custody_trigger")
        change(setting)

    _edit(rules_copy, "settings.yaml", edit)
    _refused(rules_copy, match)


def test_a_regime_without_rules_and_a_duplicated_regime_id_are_refused(rules_copy: Path) -> None:
    def edit(document: dict[str, Any]) -> None:
        regimes = document["regimes"]
        empty = dict(regimes[0], id="england-1999")
        empty["in_force"] = dict(
            regimes[0]["in_force"], **{"from": "1999-01-01", "to": "2006-03-31"}
        )
        regimes.append(empty)
        regimes.append(dict(regimes[1]))

    _edit(rules_copy, "regimes.yaml", edit)
    message = _refused(rules_copy, "duplicate regime id")
    assert "england-1999: a regime with no criterion rules decides nothing" in message


@pytest.mark.parametrize("fact", [["child_died"], {"name": "child_died"}, 7, None])
def test_a_fact_that_is_not_a_name_is_a_rule_file_error(rules_copy: Path, fact: Any) -> None:
    _edit(rules_copy, DEATH_RULE, lambda d: d.update(when={"fact": fact, "equals": True}))
    _refused(rules_copy, "when.fact: expected a fact name")


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[42m NOT REQUIRED \x1b[0m",  # ESC: a forged green banner
        "\x1b]8;;http://example.invalid\x1b\\link",  # OSC hyperlink
        "harmless\x9bmore",  # C1 CSI
        "review \u202enot\u202c required",  # bidi override
        "line\rover",  # carriage return rewrites the line
    ],
)
@pytest.mark.parametrize("field", ["title", "reason", "notes"])
def test_control_characters_in_rule_text_are_refused(
    rules_copy: Path, field: str, text: str
) -> None:
    _edit(rules_copy, DEATH_RULE, lambda d: d.update({field: text}))
    message = _refused(rules_copy, f"{field}: control character U\\+")
    assert "\x1b" not in message
    assert "\u202e" not in message


def test_rules_check_exits_1_and_triage_exits_2_on_a_hostile_directory(
    rules_copy: Path, run: Any
) -> None:
    _edit(rules_copy, DEATH_RULE, lambda d: d.update(title="\x1b[42mNOT REQUIRED"))
    checked = run("rules", "check", str(rules_copy))
    assert checked.exit_code == 1
    assert "\x1b" not in checked.output
    triaged = run("triage", "cases/death-neglect-factor-2008.yaml", "--rules", str(rules_copy))
    assert triaged.exit_code == 2
