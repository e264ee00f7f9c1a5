"""The rulebook and entailments caches: used only when exactly right, never a changed decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scr_rules.case import read_cached
from scr_rules.decide import triage
from scr_rules.engine import load_cached
from scr_rules.engine._cache import rules_key
from scr_rules.law import RuleBook, bundled_rules_dir, load_rulebook
from scr_rules.testing import random_cases

CASES = list(random_cases(200, seed=61))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCR_CACHE_DIR", str(folder))
    monkeypatch.delenv("SCR_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    return copy


def _decisions(book: RuleBook) -> list[str]:
    return [triage(case, rulebook=book).to_json() for case in CASES]


def _same_book(cached: RuleBook, fresh: RuleBook) -> None:
    assert cached is not fresh
    assert (cached.digest, cached.source, cached.canonical) == (
        fresh.digest,
        fresh.source,
        fresh.canonical,
    )
    assert [r.spec for r in cached.rules] == [r.spec for r in fresh.rules]
    assert [r.condition for r in cached.rules] == [r.condition for r in fresh.rules]
    assert (cached.regimes, cached.settings, cached.values) == (
        fresh.regimes,
        fresh.settings,
        fresh.values,
    )


def _cache_file(cache: Path) -> Path:
    (found,) = cache.glob("rulebook-*")
    return found


def test_the_cached_rulebook_is_the_loaded_one(cache: Path, rules: Path) -> None:
    fresh = load_rulebook(rules)
    first = load_cached(rules)  # a miss: loaded, then written
    assert first is fresh
    cached = load_cached(rules)  # a hit: read back
    _same_book(cached, fresh)
    assert _decisions(cached) == _decisions(fresh)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "key"])
def test_a_damaged_cache_is_a_miss_and_changes_no_decision(
    cache: Path, rules: Path, damage: str
) -> None:
    fresh = load_rulebook(rules)
    load_cached(rules)
    path = _cache_file(cache)
    data = path.read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],
        "flip": data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:],
        "garbage": b"scr-cache/1 x y\n" + b"\x80\x04junk",
        "empty": b"",
        "key": data.replace(rules_key(rules.resolve()).encode(), b"0" * 64, 1),
    }[damage]
    path.write_bytes(damaged)
    assert read_cached("rulebook", rules_key(rules.resolve())) is None
    book = load_cached(rules)
    assert book is fresh  # loaded again, as without a cache
    assert _decisions(book) == _decisions(fresh)
    _same_book(load_cached(rules), fresh)  # and written afresh


def test_a_changed_rule_file_is_a_miss(cache: Path, rules: Path) -> None:
    load_cached(rules)
    before = rules_key(rules.resolve())
    rule = rules / "england" / "wt-2006" / "ch8-child-death.yaml"
    rule.write_text(rule.read_text().replace("should always", "should"), encoding="utf-8")
    assert rules_key(rules.resolve()) != before
    # this process's loader still holds the rules as they were: not cached for the new files
    assert load_cached(rules) is load_rulebook(rules)
    assert not [p for p in cache.glob("rulebook-*") if rules_key(rules.resolve())[:32] in p.name]


def test_a_new_or_renamed_file_is_a_miss(rules: Path) -> None:
    before = rules_key(rules.resolve())
    (rules / "notes.yml").write_text("x: 1\n", encoding="utf-8")
    assert rules_key(rules.resolve()) != before


def test_no_cache_when_turned_off(
    cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCR_NO_CACHE", "1")
    load_cached(rules)
    assert not cache.exists()


def test_an_unwritable_cache_is_left_alone(
    tmp_path: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("SCR_CACHE_DIR", str(blocked / "cache"))
    assert load_cached(rules).digest == load_rulebook(rules).digest


def test_a_bad_rules_directory_still_fails_as_it_always_did(cache: Path, rules: Path) -> None:
    from scr_rules.errors import RuleFileError

    (rules / "england" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as cached_error:
        load_cached(rules)
    with pytest.raises(RuleFileError) as plain_error:
        load_rulebook(rules)
    assert str(cached_error.value) == str(plain_error.value)
    assert not list(cache.glob("rulebook-*"))


def test_a_damaged_entailments_cache_changes_nothing(cache: Path) -> None:
    from scr_rules.case import _bundled

    fresh = _bundled._load_bundled()  # a miss: parsed, then written
    (path,) = cache.glob("entailments-*")
    assert _bundled._load_bundled() == fresh  # a hit
    path.write_bytes(path.read_bytes()[:-40] + b'{"entailments": []}')
    assert _bundled._load_bundled() == fresh  # a miss again
