"""Switches where the sources disagree: defaults from ``rules/settings.yaml``, user overrides."""

from __future__ import annotations

from collections.abc import Mapping

from scr_rules.errors import ScrRulesError
from scr_rules.law._rulebook import RuleBook
from scr_rules.vocabulary import did_you_mean, value_text

SettingValue = bool | str


class SettingError(ScrRulesError):
    """A setting name or value that the rulebook does not declare."""

    error_type = "setting"


def resolve_settings(
    rulebook: RuleBook, overrides: Mapping[str, SettingValue] | None = None
) -> dict[str, SettingValue]:
    """Return every setting's value: the rulebook default unless overridden.

    String overrides "true"/"false" are accepted for true/false settings, so the CLI's
    ``--set name=value`` can reach them.
    """
    declared = {setting.name: setting for setting in rulebook.settings}
    values: dict[str, SettingValue] = {name: s.default for name, s in declared.items()}
    for name, raw in (overrides or {}).items():
        setting = declared.get(name)
        if setting is None:
            hint = did_you_mean(name, declared)
            raise SettingError(f"unknown setting {name!r}{hint}; see 'scr rules settings'")
        value = _coerce(raw, setting.values)
        if value is None:
            shown = ", ".join(value_text(v) for v in setting.values)
            raise SettingError(f"setting {name!r}: {raw!r} is not one of {shown}")
        values[name] = value
    return values


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """Parse CLI ``name=value`` pairs."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise SettingError(
                f"--set {pair!r}: expected NAME=VALUE, e.g. eng2010_harm_limb=mandatory"
            )
        parsed[name.strip()] = value.strip()
    return parsed


def _coerce(raw: SettingValue, allowed: tuple[SettingValue, ...]) -> SettingValue | None:
    for option in allowed:
        if type(raw) is type(option) and raw == option:
            return option
        if isinstance(option, bool) and isinstance(raw, str) and raw == value_text(option):
            return option
    return None
