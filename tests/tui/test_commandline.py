"""The command-line grammar, as a pure function: text in, an intent or a typed error out."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.i18n import LANGS
from facilitator.session.values import (
    PollKind,
    Quorum,
    QuorumRule,
    Stance,
    Threshold,
    ThresholdRule,
    Urgency,
)
from facilitator.tui import intents as i
from facilitator.tui.commandline import USAGE, CommandLineError, parse
from facilitator.tui.widgets.prompt import suggest

GOOD: list[tuple[str, i.Intent]] = [
    ("next", i.Simple("next")),
    ("  NEXT  ", i.Simple("next")),
    ("open", i.Simple("open")),
    ("close", i.Simple("close")),
    ("end", i.Simple("end")),
    ("start 2", i.ItemAction("start", 2)),
    ("skip #3", i.ItemAction("skip", 3)),
    ("extend 5", i.Extend(5)),
    ("walkins 37", i.WalkIns(37)),
    ("walkins\u300037", i.WalkIns(37)),  # a full-width space from a Chinese input method
    ("walkins ３７", i.WalkIns(37)),  # full-width digits too
    ("roster 劉阿姨 #resident_rep", i.Roster("劉阿姨", "resident_rep")),
    ("issue 路燈不亮 @張伯", i.RaiseIssue("路燈不亮", "張伯")),
    ("issue 一樓住戶採光怎麼辦", i.RaiseIssue("一樓住戶採光怎麼辦")),
    ("accept 2", i.IssueAction("accept", 2)),
    ("reject 4 不屬本社區 事務", i.IssueAction("reject", 4, "不屬本社區 事務")),
    ("promote 1 15", i.IssueAction("promote", 1, minutes=15)),
    ("promote 1", i.IssueAction("promote", 1)),
    ("resolve 5 當場解決", i.IssueAction("resolve", 5, "當場解決")),
    ("merge 3 1", i.Merge(3, 1)),
    ("merge #3 #1", i.Merge(3, 1)),
    ("urgency 2 urgent", i.Classify(2, urgency=Urgency.URGENT)),
    ("category 2 環境衛生", i.Classify(2, category="環境衛生")),
    ("q+ 王阿姨", i.Queue("王阿姨")),
    ("q- 王阿姨", i.Queue("王阿姨", leave=True)),
    ("grant", i.Grant()),
    ("grant 張伯", i.Grant("張伯")),
    ("done", i.Simple("done")),
    ("opinion + 支持加裝 @張伯", i.Opinion(Stance.FOR, "支持加裝", "張伯")),
    ("opinion 反對 太吵", i.Opinion(Stance.AGAINST, "太吵")),
    ("opinion = 再看看", i.Opinion(Stance.NEUTRAL, "再看看")),
    ("vote 是否建設充電車棚", i.Vote("是否建設充電車棚")),
    (
        "vote 走哪條線？ | 沿外牆 | 走地下 --named --2/3 --quorum=2/3",
        i.Vote(
            "走哪條線？",
            PollKind.SINGLE,
            ("沿外牆", "走地下"),
            secret=False,
            quorum=Quorum(QuorumRule.ROSTER_FRACTION, num=2, den=3),
            threshold=Threshold(ThresholdRule.TWO_THIRDS),
        ),
    ),
    (
        "vote 選兩項｜甲｜乙｜丙 --multi=2 --quorum=8 --present",
        i.Vote(
            "選兩項",
            PollKind.MULTI,
            ("甲", "乙", "丙"),
            max_choices=2,
            quorum=Quorum(QuorumRule.COUNT, count=8),
            threshold=Threshold(ThresholdRule.MAJORITY_OF_PRESENT),
        ),
    ),
    ("vote 比例 --fraction=3/4", i.Vote("比例", threshold=Threshold(ThresholdRule.FRACTION, 3, 4))),
    ("hands yes=12 no=3 abstain=1", i.Hands((("yes", 12), ("no", 3), ("abstain", 1)))),
    ("hands 1=4 2＝5", i.Hands((("1", 4), ("2", 5)))),
    ("proxy 陳伯 yes", i.Proxy("陳伯", ("yes",))),
    ("proxy 陳伯 甲,乙 by 陳伯的女兒", i.Proxy("陳伯", ("甲", "乙"), "陳伯的女兒")),
    ("cancel 題目有誤", i.Cancel("題目有誤")),
    (
        "action 維修路燈 @物業公司 due 2026-12-31",
        i.Action("維修路燈", "物業公司", dt.date(2026, 12, 31)),
    ),
    ("action 召開3號樓業主 分攤協商會", i.Action("召開3號樓業主 分攤協商會")),
    ("assign 1 @設計院 due 2026-06-20", i.Assign(1, "設計院", dt.date(2026, 6, 20))),
    ("assign 2 @燃氣公司", i.Assign(2, "燃氣公司")),
    ("invite", i.Invite()),
    ("invite 王秀英", i.Invite("王秀英")),
    ("link 王秀英", i.Link("王秀英", "王秀英")),
    ("link 王阿姨 王秀英", i.Link("王阿姨", "王秀英")),
    ("revoke 張伯", i.Revoke("張伯")),
    ("rating", i.Simple("rating")),
    ("lobby", i.Show("lobby")),
    ("help", i.Help()),
    ("help vote", i.Help("vote")),
    ("HELP Q+", i.Help("q+")),
]

BAD: list[tuple[str, str]] = [
    ("", "empty"),
    ("   ", "empty"),
    ("fly away", "unknown"),
    ("nxet", "unknown_near"),
    ("help fly", "unknown"),
    ("help vote close", "usage"),
    ("extend ²", "number"),  # a digit to str.isdigit, not a number to int()
    ("walkins ①", "number"),
    ("vote Q --fraction=²/3", "fraction"),
    ("next 2", "usage"),
    ("accept", "usage"),
    ("accept two", "number"),
    ("reject 4", "usage"),
    ("merge 3", "usage"),
    ("walkins many", "number"),
    ("q+", "usage"),
    ("vote", "usage"),
    ("vote 問題 | ", "usage"),
    ("vote 問題 --secretly", "flag"),
    ("vote 問題 --quorum=2/0", "fraction"),
    ("hands yes12", "usage"),
    ("hands yes=-1", "number"),
    ("hands", "usage"),
    ("action 維修 due 31/12/2026", "date"),
    ("action @物業公司", "usage"),
    ("opinion 好", "stance"),
    ("opinion +", "usage"),
    ("urgency 2 very", "usage"),
    ("assign 1", "usage"),
    ("link", "usage"),
    ("link a b c", "usage"),
    ("revoke", "usage"),
    ("proxy 陳伯", "usage"),
]


@pytest.mark.parametrize(("line", "expected"), GOOD, ids=[g[0] for g in GOOD])
def test_parses(line: str, expected: i.Intent) -> None:
    assert parse(line) == expected


@pytest.mark.parametrize(("line", "key"), BAD, ids=[b[0] or "<empty>" for b in BAD])
def test_refuses_with_a_typed_error(line: str, key: str) -> None:
    with pytest.raises(CommandLineError) as caught:
        parse(line)
    assert caught.value.key == key


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("line", "key"), BAD[:8])
def test_errors_are_translated_sentences(lang: str, line: str, key: str) -> None:
    with pytest.raises(CommandLineError) as caught:
        parse(line)
    message = caught.value.message(lang)
    assert not message.startswith("console.") and "{" not in message


def test_every_verb_has_a_usage_and_parses_its_own_example() -> None:
    examples = {line.split()[0].lower() for line, _ in GOOD if line.strip()}
    missing = set(USAGE) - examples - {"pause", "resume", "defer", "main", "closing"}
    assert not missing
    for verb in ("pause", "resume", "main", "closing"):
        parse(verb)
    assert parse("defer 2") == i.ItemAction("defer", 2)


def test_completion_of_verbs_and_names() -> None:
    names = ["王阿姨", "王伯", "張伯"]
    assert suggest("ne", names) == "next"
    assert suggest("wal", names) == "walkins"
    assert suggest("q+ 張", names) == "q+ 張伯"
    assert suggest("q+ 王", names) == "q+ 王伯"  # the first in order; typing on narrows it
    assert suggest("grant 王阿", names) == "grant 王阿姨"
    assert suggest("vote 王", names) is None
    assert suggest("", names) is None
    assert suggest("next", names) is None


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda verb, rest: f"{verb} {rest}",
            st.sampled_from(sorted(USAGE)),
            st.text(
                alphabet=st.characters(categories=("Nd", "No", "Nl", "P", "S", "Zs")), max_size=20
            ),
        ),
    )
)
def test_any_line_parses_or_is_refused_with_a_typed_error(line: str) -> None:
    """Nothing typed raises anything but :class:`CommandLineError` (``extend ²`` once raised
    ValueError: ``"²".isdigit()`` is true, ``int("²")`` fails)."""
    try:
        parse(line)
    except CommandLineError as error:
        assert error.message("en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_has_help_and_an_example_in_every_language(lang: str) -> None:
    """``help`` lists :data:`USAGE`; a verb added to the grammar needs its help entries."""
    from facilitator.i18n import catalog
    from facilitator.tui.screens.help import HELP_KEYS

    messages = catalog(lang)
    for verb in USAGE:
        key = HELP_KEYS.get(verb, verb)
        assert f"help.verb.{key}" in messages, (lang, verb)
        assert f"help.example.{key}" in messages, (lang, verb)
