"""The agenda's quorum and the place's categories, in the front matter."""

from __future__ import annotations

import pytest

from facilitator.agenda import AgendaError, AgendaErrorCode, parse_agenda
from facilitator.agenda.model import QuorumKind, QuorumSpec

BODY = "\n## 意見徵集（30分鐘）\n"


def _agenda(*lines: str) -> str:
    return "---\ntitle: 廣場夜話\n" + "\n".join(lines) + "\n---\n" + BODY


@pytest.mark.parametrize(
    ("written", "quorum"),
    [
        ("8", QuorumSpec(QuorumKind.COUNT, count=8)),
        ("８", QuorumSpec(QuorumKind.COUNT, count=8)),
        ("2/3", QuorumSpec(QuorumKind.ROSTER_FRACTION, num=2, den=3)),
        ("名冊 2/3", QuorumSpec(QuorumKind.ROSTER_FRACTION, num=2, den=3)),
        ("２／３", QuorumSpec(QuorumKind.ROSTER_FRACTION, num=2, den=3)),
        ("過半數在場", QuorumSpec(QuorumKind.PRESENT_MAJORITY)),
        ("过半数在场", QuorumSpec(QuorumKind.PRESENT_MAJORITY)),
        ("majority of present", QuorumSpec(QuorumKind.PRESENT_MAJORITY)),
        ("2/3 在場", QuorumSpec(QuorumKind.PRESENT_FRACTION, num=2, den=3)),
        ("在場 3/5", QuorumSpec(QuorumKind.PRESENT_FRACTION, num=3, den=5)),
        ("2/3 of present", QuorumSpec(QuorumKind.PRESENT_FRACTION, num=2, den=3)),
        ("不設", QuorumSpec()),
        ("none", QuorumSpec()),
    ],
)
def test_quorum_as_a_moderator_writes_it(written: str, quorum: QuorumSpec) -> None:
    assert parse_agenda(_agenda(f"法定人數：{written}")).quorum == quorum


def test_no_quorum_line_means_none() -> None:
    assert parse_agenda(_agenda()).quorum == QuorumSpec()


@pytest.mark.parametrize("written", ["一半", "3/2", "0/3", "2/3 of the moon", "-4"])
def test_a_quorum_that_cannot_be_read(written: str) -> None:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(_agenda(f"quorum: {written}"))
    assert caught.value.code is AgendaErrorCode.BAD_QUORUM
    assert caught.value.line == 3
    assert "過半數在場" in caught.value.message


def test_categories_in_the_places_order_as_written() -> None:
    agenda = parse_agenda(_agenda("categories: 居民、黨員、社區兩委, 物業，網格員"))
    assert agenda.categories == ("居民", "黨員", "社區兩委", "物業", "網格員")
    roles = parse_agenda(_agenda("類別: residents_committee, subdistrict, 律師, 施工方"))
    assert roles.categories == ("residents_committee", "subdistrict", "律師", "施工方")


def test_categories_twice_or_too_long() -> None:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(_agenda("categories: 居民、物業、居民"))
    assert caught.value.code is AgendaErrorCode.DUPLICATE_CATEGORY
    with pytest.raises(AgendaError) as caught:
        parse_agenda(_agenda("categories: " + "長" * 41))
    assert caught.value.code is AgendaErrorCode.CATEGORY_TOO_LONG
    with pytest.raises(AgendaError) as caught:
        parse_agenda(_agenda("categories: " + "、".join(f"類{n}" for n in range(31))))
    assert caught.value.code is AgendaErrorCode.TOO_MANY_CATEGORIES
