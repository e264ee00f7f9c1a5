"""The decision record for the board's minutes (render/_record*): what each version says.

The board version gives the outcome, the legal basis with citations, evidence tags and
presumptions, the facts relied on and those not known, the factors to weigh (2018 on), the
next steps with dates and the integrity line; the audit version adds every rule not met,
the switched-off and unresolved provisions, other regimes' answers and the interview.
"""

from __future__ import annotations

import re

import pytest

from scr_rules.case import Case, load_case
from scr_rules.decide import Decision, triage
from scr_rules.render import LoggedRecord, decision_record, record_document
from scr_rules.render._record_md import escape_md
from tests._shared import BOOK, CASES_DIR


def decided(name: str) -> tuple[Decision, Case]:
    case = load_case(str(CASES_DIR / f"{name}.yaml"))
    return triage(case, rulebook=BOOK), case


def markdown(name: str, audience: str = "board", record: LoggedRecord | None = None) -> str:
    decision, case = decided(name)
    data = decision_record(decision, case, audience=audience, fmt="md", record=record)
    return data.decode("utf-8")


def section(text: str, title: str) -> str:
    """Return one '## title' section of a Markdown record."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


LOGGED = LoggedRecord(
    log="decisions.scrlog",
    id=7,
    hash="sha256:" + "ab" * 32,
    recorded_at="2008-05-20T10:00:00Z",
    by="duty-officer-3",
    human_decision="initiated",
    human_reason="panel agreed",
    agreement="agrees",
    interview=(
        {"fact": "child_died", "answer": True},
        {"fact": "abuse_or_neglect", "answer": "unknown"},
        {"fact": "sexual_abuse", "answer": False},
    ),
)


def test_the_board_version_heads_with_the_case_regime_date_versions_and_no_advice() -> None:
    text = markdown("death-neglect-factor-2008")

    assert text.startswith("# Decision record: case EX-0001\n")
    assert "- **case:** EX-0001\n" in text
    assert "- **regime:** england-2006: LSCB Regulations 2006 reg. 5" in text
    assert "- **why this regime:** decision_date 2008-05-20 falls in england-2006" in text
    assert "- **decision date:** 2008-05-20 (source: decision_date)\n" in text
    assert re.search(r"prepared with:\*\* scr-rules [^,]+, rulebook sha256:[0-9a-f]{64}", text)
    assert "A decision aid, not legal advice" in text
    assert "> **MANDATORY - a review must be held**" in text


def test_the_legal_basis_gives_each_met_rule_with_citation_and_evidence_tag() -> None:
    """WT 2006 ch. 8: the LSCB should always conduct an SCR when neglect is a factor in a death."""
    basis = section(markdown("death-neglect-factor-2008"), "Legal basis")

    assert "### A child has died and abuse or neglect is known or suspected" in basis
    assert "- Source: Working Together to Safeguard Children (2006), chapter 8" in basis
    assert (
        "- Rule england.wt-2006.ch8-child-death (ENG06-M1): mandatory; statutory guidance; "
        "secondary evidence." in basis
    )


def test_a_presumption_applied_is_named_in_the_legal_basis_and_the_facts() -> None:
    """WT 2013 ch. 4: after serious harm, concern about joint working is presumed (rebuttable)."""
    text = markdown("e2013-harm-concern-unknown-presumed")

    assert "- Presumption applied: interagency_concern, absence_evidence not known" in text
    facts = section(text, "Facts relied on and facts not known")
    assert "| interagency_concern | not known (presumed) | presumption in " in facts


def test_the_facts_say_which_unknown_facts_could_change_the_outcome() -> None:
    """An undetermined case lists each missing fact and the outcome it could lead to."""
    text = markdown("death-factor-unknown-2008")
    facts = section(text, "Facts relied on and facts not known")

    assert "> **UNDETERMINED - facts are missing that could require a review**" in text
    assert (
        "- abuse_or_neglect_factor_in_death: could lead to MANDATORY via "
        "england.wt-2006.ch8-child-death" in facts
    )
    assert "| interagency_concern | absent | rules out 5 rules |" in facts
    assert "### Still open: rules that could change the outcome" in section(text, "Legal basis")


def test_a_decided_case_says_no_unknown_fact_can_change_it_and_names_the_idle_ones() -> None:
    facts = section(markdown("death-neglect-factor-2008"), "Facts relied on and facts not known")

    assert "| child_died | true | meets england.wt-2006.ch8-child-death |" in facts
    assert "None: no unknown fact can." in facts
    assert "### Not known, and cannot change the outcome\n\n" in facts
    assert "sexual_abuse" in facts  # not escaped: an underscore inside a word is no markup


def test_from_2018_the_factors_for_the_partners_are_listed_with_their_sources() -> None:
    """S.I. 2018/789 reg. 11: the partners weigh the criteria; a local review is never a must."""
    text = markdown("e2018-every-factor-to-weigh")
    factors = section(text, "Factors for the partners to weigh")

    assert "> **DISCRETIONARY - the decision-maker may decide to hold a review**" in text
    assert "| applies | Highlights or may highlight recurrent themes" in factors
    assert "reg. 11(b) \\[primary evidence\\] |" in factors
    assert "Factors for the partners" not in markdown("death-neglect-factor-2008")


def test_next_steps_give_each_duty_its_date_and_who() -> None:
    """WT 2006 ch. 8: decide within a month of notification; complete within four months."""
    steps = section(markdown("death-neglect-factor-2008"), "Next steps")

    assert "| done 2008-05-20 | Decide whether to hold a serious case review" in steps
    assert (
        "| 2008-09-20 | Complete the serious case review (target: 4 months from the decision "
        "to proceed) | the LSCB | 4 months from decision_date; "
        "england.wt-2006.ch8-completion-four-months |" in steps
    )


def test_unresolved_law_is_said_once_beside_the_outcome() -> None:
    outcome = section(markdown("custody-death-unresolved-2011"), "Outcome")

    assert "### The law is open" in outcome
    assert outcome.count("The law here is unverified (eng2010_custody_trigger") == 1


def test_regimes_the_dates_allow_are_shown_to_the_board() -> None:
    outcome = section(markdown("no-decision-date-may-fall-under-2013"), "Outcome")

    assert "| england-2010 | 2013-03-10 | NOT REQUIRED | - |" in outcome
    assert "| england-2013 | 2013-04-15 | MANDATORY | england.wt-2013.ch4-serious-harm |" in outcome


def test_without_a_log_the_record_says_nothing_seals_it() -> None:
    text = markdown("death-neglect-factor-2008")

    assert "Not from an audit log: nothing seals this record." in section(text, "Integrity")
    assert "The board's decision" not in text


def test_from_a_log_the_record_gives_the_boards_decision_and_the_integrity_line() -> None:
    text = markdown("death-neglect-factor-2008", record=LOGGED)

    board = section(text, "The board's decision")
    assert "- Decision: initiated (a review was initiated)." in board
    assert "- Reason given: panel agreed" in board
    assert "- Against the criteria: it follows the criteria." in board
    integrity = section(text, "Integrity")
    assert "Record 7 of decisions.scrlog, recorded 2008-05-20T10:00:00Z by duty-officer-3" in (
        integrity
    )
    assert (
        "```sh\nscr replay decisions.scrlog --record 7\n"
        f"scr audit verify decisions.scrlog \\\n    --anchor {LOGGED.hash}\n```" in integrity
    )
    assert "must say: identical, mandatory" in integrity


def test_a_log_path_with_spaces_is_quoted_in_the_commands() -> None:
    spaced = LoggedRecord(log="board logs/d.scrlog", id=1, hash=LOGGED.hash, recorded_at="x")
    text = markdown("death-neglect-factor-2008", record=spaced)

    assert "scr replay 'board logs/d.scrlog' --record 1\n" in text


def test_the_audit_version_adds_every_rule_not_met_and_every_provision() -> None:
    board = markdown("death-factor-unknown-2008")
    audit = markdown("death-factor-unknown-2008", "audit")

    not_met = section(audit, "Rules not met, and why")
    assert "| england.wt-2006.ch8-sexual-abuse: " in not_met
    assert "interagency_concern is absent; needs 'present'" in not_met
    provisions = section(audit, "Switched-off and unresolved provisions")
    assert "| england.lscb-regs-2006.reg-5-1-e-serious-case |" in provisions
    assert "| eng2006_custody_trigger | unresolved | default |" in provisions
    assert "## Rules not decided (waiting on unknown facts)" in audit
    assert "## Rules not met, and why" not in board
    met = section(markdown("death-neglect-factor-2008", "audit"), "Legal basis")
    assert "- Facts: child_age_at_incident = 2, is_child = true, child_died = true, " in met


def test_the_audit_version_gives_other_regimes_answers_for_the_same_facts() -> None:
    regimes = section(
        markdown("e2018-every-factor-to-weigh", "audit"),
        "Other regimes' answers for the same facts",
    )

    assert "| england-2018 (this decision) | 2020-10-10 | DISCRETIONARY |" in regimes
    assert "| england-2013 | 2013-04-15 | MANDATORY | england.wt-2013.ch4-serious-harm | - |" in (
        regimes
    )


def test_other_regimes_are_not_guessed_under_another_rulebook() -> None:
    decision, case = decided("e2018-every-factor-to-weigh")
    elsewhere = decision.model_copy(update={"rulebook": "sha256:" + "0" * 64})
    text = decision_record(elsewhere, case, audience="audit", fmt="md").decode()

    assert "Not computed: the decision was made under rulebook sha256:000" in text


def test_the_audit_version_shows_the_interview_transcript_and_the_case_file() -> None:
    audit = markdown("death-neglect-factor-2008", "audit", record=LOGGED)

    transcript = section(audit, "Interview transcript")
    assert re.search(r"\| 1 \| .+ \(child_died\) \| .+ \(true\) \|", transcript)
    assert re.search(r"\| 2 \| .+ \(abuse_or_neglect\) \| not known \(unknown\) \|", transcript)
    assert re.search(r"\| 3 \| .+ \(sexual_abuse\) \| .+ \(false\) \|", transcript)
    case_file = section(audit, "The case file as decided")
    assert "| facts.abuse_or_neglect_factor_in_death | known |" in case_file
    assert "| decision_date | 2008-05-20 |" in case_file
    assert "Interview transcript" not in markdown("death-neglect-factor-2008", "audit")


def test_a_pseudonymised_record_is_headed_by_its_pseudonym() -> None:
    decision, case = decided("death-neglect-factor-2008")
    ref = "hmac-sha256:" + "c" * 32
    hidden = decision.model_copy(update={"case_ref": ref})

    document = record_document(hidden, case.model_copy(update={"case_ref": ref}))

    assert document.title == f"Decision record: pseudonym {ref}"
    assert document.header[0] == ("pseudonym", ref)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a | b", "a \\| b"),
        ("*bold* and `code`", "\\*bold\\* and \\`code\\`"),
        ("is_child and _emphasis_", "is_child and \\_emphasis\\_"),
        ("<script>", "\\<script\\>"),
        ("two\nlines", "two lines"),
        ("# 1 and #2", "\\# 1 and #2"),
    ],
)
def test_markdown_shows_text_as_written(text: str, shown: str) -> None:
    assert escape_md(text) == shown


def test_an_unknown_audience_or_format_is_refused() -> None:
    decision, case = decided("death-neglect-factor-2008")

    with pytest.raises(ValueError, match="'minutes' is not a valid Audience"):
        decision_record(decision, case, audience="minutes")
    with pytest.raises(ValueError, match="'docx' is not a valid RecordFormat"):
        decision_record(decision, case, fmt="docx")
