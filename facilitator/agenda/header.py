"""Front matter values that are more than a word: the session's quorum and the place's categories.

``quorum`` is written the way a moderator says it: ``8`` (people present), ``2/3`` (of the roster),
``過半數在場`` / ``majority of present`` (more than half of those present take part in the vote),
``2/3 在場`` / ``2/3 of present`` (a share of those present), ``不設`` / ``none``. Full-width digits
and slashes from a Chinese input method read like ASCII ones.

``categories`` lists the place's own categories of people in its order, separated by commas or
「、」: ``居民、黨員、社區兩委、物業、網格員``.
"""

from __future__ import annotations

import re
import unicodedata

from facilitator.agenda.model import QuorumKind, QuorumSpec

CATEGORY_MAX_CHARS = 40
MAX_CATEGORIES = 30
QUORUM_FORMS = "8, 2/3, 過半數在場 (majority of present), 2/3 在場 (2/3 of present), none"

_NONE = {"none", "no", "不設", "不设", "無", "无", "0"}
_PRESENT_MAJORITY = {
    "過半數在場",
    "过半数在场",
    "在場過半數",
    "在场过半数",
    "過半數",
    "过半数",
    "majorityofpresent",
    "presentmajority",
    "majorityofthosepresent",
    "majority",
}
_PRESENT = r"(?:在場|在场|ofpresent|ofthosepresent|present|的在場人數|的在场人数)"
_PRESENT_FRACTION = re.compile(rf"(?:{_PRESENT}(\d+)/(\d+)|(\d+)/(\d+){_PRESENT})")
_ROSTER_WORD = r"(?:名冊|名册|ofroster|oftheroster|roster)?"
_ROSTER = re.compile(rf"{_ROSTER_WORD}(\d+)/(\d+){_ROSTER_WORD}")
_SEPARATORS = re.compile(r"[,，、;；]")


def parse_quorum(value: str) -> QuorumSpec | None:
    """The quorum written as ``value``, or None when it cannot be read."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value).casefold())
    if text in _NONE:
        return QuorumSpec()
    if text in _PRESENT_MAJORITY:
        return QuorumSpec(QuorumKind.PRESENT_MAJORITY)
    if text.isdigit():
        return QuorumSpec(QuorumKind.COUNT, count=int(text))
    found = _PRESENT_FRACTION.fullmatch(text)
    if found:
        num, den = (int(g) for g in found.groups() if g is not None)
        return _fraction(QuorumKind.PRESENT_FRACTION, num, den)
    found = _ROSTER.fullmatch(text)
    if found:
        return _fraction(QuorumKind.ROSTER_FRACTION, int(found[1]), int(found[2]))
    return None


def _fraction(kind: QuorumKind, num: int, den: int) -> QuorumSpec | None:
    return QuorumSpec(kind, num=num, den=den) if 0 < num <= den else None


def split_categories(value: str) -> list[str]:
    """The categories in ``value``, in order, each stripped (empty entries dropped)."""
    return [part.strip() for part in _SEPARATORS.split(value) if part.strip()]
