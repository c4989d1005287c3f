"""The walk-ins sentence of the minutes reads right for one person and for several, in each
language (one plural mechanism in the catalogs; the sentence for one is a message of its own)."""

from __future__ import annotations

import dataclasses

import pytest

from facilitator.minutes import render_minutes
from facilitator.session import events as e
from tests.minutes.minutes_kit import square_talk


def with_walk_ins(count: int) -> list[e.Event]:
    """The square talk's log with the hand count of walk-ins set to ``count``."""
    return [
        dataclasses.replace(event, count=count) if isinstance(event, e.WalkInCountSet) else event
        for event in square_talk().log
    ]


@pytest.mark.parametrize(
    ("lang", "count", "sentence"),
    [
        ("en", 1, "Another person was counted in the room without registering:"),
        ("en", 2, "Another 2 people were counted in the room without registering:"),
        ("zh-Hant", 1, "另有未登記的到場居民1人（現場點算）"),
        ("zh-Hant", 2, "另有未登記的到場居民2人（現場點算）"),
        ("zh-Hans", 1, "另有未登记的到场居民1人（现场点算）"),
    ],
)
def test_one_walk_in_and_several(lang: str, count: int, sentence: str) -> None:
    text = render_minutes(with_walk_ins(count), lang)
    assert sentence in text
    assert "Another 1 person" not in text
