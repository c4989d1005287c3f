"""The codec: exact round trips, compact JSON, and refusal of anything that does not fit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.session import events as ev
from facilitator.session.values import Channel, IssueSource, Stance
from facilitator.store import (
    CorruptEvent,
    UnknownEventType,
    UnstorableEvent,
    codec,
    decode_event,
    encode_event,
)
from tests.store.store_samples import AT, SAMPLES, created


def test_samples_cover_every_event_type() -> None:
    # a new event type without a sample here would go untested: fail until one is added
    assert {type(event).__name__ for event in SAMPLES} == set(ev.EVENT_TYPES)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: type(event).__name__)
def test_every_event_type_round_trips_exactly(event: ev.Event) -> None:
    name, payload = encode_event(event)
    assert name == type(event).__name__
    assert decode_event(name, payload) == event
    assert encode_event(decode_event(name, payload)) == (name, payload)


def test_payload_is_compact_readable_json() -> None:
    _, payload = encode_event(SAMPLES[0])
    assert ", " not in payload and '": ' not in payload
    assert "五月廣場夜話" in payload  # not \\u escapes: the log stays readable with sqlite3
    data = json.loads(payload)
    assert data["at"] == "2025-05-16T19:30:12.250000+08:00"
    assert data["kind"] == "square_talk"
    assert data["date"] == "2025-05-16"
    assert data["items"][0]["options"] == ["按樓層", "平均分攤"]


def test_a_utc_time_keeps_its_instant() -> None:
    event = ev.SessionOpened(at=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    decoded = decode_event(*encode_event(event))
    assert decoded == event and decoded.at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (ev.WalkInCountSet(at=AT, count=True), "field 'count': expected an integer"),
        (ev.IssuesPrioritized(at=AT, issue_ids=["i1"]), "field 'issue_ids': expected a tuple"),  # type: ignore[arg-type]
        (ev.ActionItemUpdated(at=AT, action_id="x", title="", measures="", owner="", deadline=AT),
         "field 'deadline': expected a date"),
        (ev.SpeakingEnded(at=AT, entry_id="q", duration_s=float("nan")), "finite"),
        (dataclasses.replace(created(), items=("x",)),  # type: ignore[arg-type]
         r"field 'items\[0\]': expected AgendaItemSpec"),
    ],
)  # fmt: skip
def test_encoding_refuses_a_value_that_would_not_come_back(event: ev.Event, message: str) -> None:
    with pytest.raises(UnstorableEvent, match=message):
        encode_event(event)


def _mangle(event: ev.Event, change: dict[str, object]) -> str:
    data = json.loads(encode_event(event)[1])
    for key, value in change.items():
        if value is KeyError:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data)


BALLOT = ev.BallotCast(
    at=AT, poll_id="v1", participant_id="p1", choices=("yes",), channel=Channel.HANDS
)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"choices": "yes"}, "field 'choices': expected a list, got text"),
        ({"choices": ["yes", 3]}, "field 'choices[1]': expected text, got an integer"),
        ({"poll_id": KeyError}, "field 'poll_id': required but missing"),
        ({"weight": 2}, "unknown field 'weight'"),
        ({"channel": "fax"}, "field 'channel': 'fax' is not one of 'phone', 'hands', 'proxy'"),
        ({"at": "yesterday"}, "field 'at': 'yesterday' is not a date and time"),
        ({"at": None}, "field 'at': expected a date and time as text, got null"),
    ],
)
def test_decoding_refuses_what_does_not_fit_and_names_the_row(
    change: dict[str, object], reason: str
) -> None:
    with pytest.raises(CorruptEvent) as caught:
        decode_event("BallotCast", _mangle(BALLOT, change), session_id="7f3a", seq=42)
    assert caught.value.message == f"session 7f3a, event #42 (BallotCast): {reason}"
    assert (caught.value.session_id, caught.value.seq, caught.value.code) == (
        "7f3a",
        42,
        "corrupt_event",
    )


def test_decoding_checks_nested_records_and_dates() -> None:
    data = json.loads(encode_event(SAMPLES[0])[1])
    data["items"][1]["time_box_s"] = "10 min"
    with pytest.raises(CorruptEvent, match=r"field 'items\[1\]\.time_box_s': expected an integer"):
        decode_event("SessionCreated", json.dumps(data))
    data = json.loads(encode_event(SAMPLES[0])[1])
    data["follow_ups"][0]["deadline"] = "2025-02-30"
    with pytest.raises(
        CorruptEvent, match=r"'follow_ups\[0\]\.deadline': '2025-02-30' is not a date"
    ):
        decode_event("SessionCreated", json.dumps(data))


def test_decoding_refuses_broken_json_and_unknown_types() -> None:
    with pytest.raises(CorruptEvent, match="not valid JSON"):
        decode_event("IssueAccepted", '{"at":"2025-05-16T19:30:00+08:00",', session_id="s", seq=3)
    with pytest.raises(CorruptEvent, match="expected an object, got a list"):
        decode_event("IssueAccepted", "[]")
    with pytest.raises(UnknownEventType, match=r"session s, event #9 \(VoteTeleported\)"):
        decode_event("VoteTeleported", "{}", session_id="s", seq=9)


def test_a_field_added_later_with_a_default_reads_old_rows() -> None:
    # rows written before BallotCast.cast_by existed must still replay
    payload = _mangle(BALLOT, {"cast_by": KeyError})
    assert decode_event("BallotCast", payload) == BALLOT


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ['"', "\\", "\n\r\t", "\u2028\u2029", "\x00", "𠀋🌸", "</script>", "'; DROP TABLE events;--"]
)
_TIMES = st.datetimes(
    timezones=st.sampled_from(
        [
            dt.UTC,
            dt.timezone(dt.timedelta(hours=8)),
            dt.timezone(-dt.timedelta(hours=5, minutes=30)),
        ]
    )
)


@given(
    at=_TIMES,
    text=_TEXT,
    building=_TEXT,
    participant=st.none() | _TEXT,
    source=st.sampled_from(IssueSource),
    stance=st.sampled_from(Stance),
    options=st.lists(_TEXT, max_size=5).map(tuple),
    seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
def test_generated_text_round_trips(
    *,
    at: dt.datetime,
    text: str,
    building: str,
    participant: str | None,
    source: IssueSource,
    stance: Stance,
    options: tuple[str, ...],
    seconds: float,
) -> None:
    samples: list[ev.Event] = [
        ev.IssueRaised(
            at=at, issue_id=text, text=text, source=source, participant_id=participant,
            on_behalf_of=building, building=building, item_id=participant,
        ),
        ev.OpinionRecorded(
            at=at, opinion_id="o", item_id=None, stance=stance, text=text, speaker=building,
            participant_id=participant,
        ),
        ev.AgendaItemAdded(
            at=at, item_id="a", title=text, time_box_s=None, description=building, options=options,
            after_item_id=participant,
        ),
        ev.SpeakingEnded(at=at, entry_id=text, duration_s=seconds),
    ]  # fmt: skip
    for event in samples:
        assert decode_event(*encode_event(event)) == event


@dataclasses.dataclass(frozen=True, slots=True)
class _Tally:
    """No event has a fixed-length tuple yet; the codec supports one for when one does."""

    pair: tuple[str, int]
    counts: tuple[tuple[str, int], ...] = ()


def test_fixed_length_tuples() -> None:
    decode, encode = codec._converters(_Tally)
    tally = _Tally(("yes", 3), (("no", 1), ("abstain", 0)))
    assert encode(tally) == {"pair": ["yes", 3], "counts": [["no", 1], ["abstain", 0]]}
    assert decode(json.loads(json.dumps(encode(tally)))) == tally
    with pytest.raises(codec._Invalid, match="expected 2 values, got 3"):
        decode({"pair": ["yes", 3, 4]})
    with pytest.raises(codec._Invalid, match="expected an integer, got text") as caught:
        decode({"pair": ["yes", 3], "counts": [["no", "1"]]})
    assert caught.value.where() == "counts[0][1]"
