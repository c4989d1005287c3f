"""Personal invitations, the one flow the console, the moderator's scripts and the join sheet use.

A fresh card token for each roster entry named (by default every entry without a phone yet) is
recorded as its hash, and the cards' links and their printable page are made from the tokens. The
tokens exist only in what the caller prints or answers: the log keeps their hashes, so a copy of
the database cannot be used to join as someone. Issuing again replaces an entry's cards.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from facilitator.hub import Hub
from facilitator.services.cards import invitation_cards
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.state import SessionState


def invitation_key(token: str) -> str:
    """The engine's key of a personal invitation: a hash, never the card's token itself."""
    return hashlib.sha256(f"facilitator-invite:{token}".encode()).hexdigest()


async def invite(
    hub: Hub, session_id: str, participant_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """Issue cards for the roster entries named (by default those without a phone yet); returns
    ``{participant id: token}``."""
    state = hub.state(session_id)
    wanted = (
        [
            p.participant_id
            for p in sorted(state.participants.values(), key=lambda p: p.number)
            if not p.has_device
        ]
        if participant_ids is None
        else list(participant_ids)
    )
    tokens: dict[str, str] = {}
    for pid in wanted:
        token = secrets.token_urlsafe(12)
        command = c.InviteRosterEntry(
            at=hub.clock(), participant_id=pid, invite_key=invitation_key(token)
        )
        await hub.dispatch(session_id, command, MODERATOR)
        tokens[pid] = token
    return tokens


@dataclass(frozen=True, slots=True)
class Invitations:
    """Cards just issued: each roster entry's link and the printable page of them all."""

    state: SessionState
    links: dict[str, str]  # participant id -> the card's join link
    page: str


async def issue_cards(
    hub: Hub,
    session_id: str,
    join_url: str,
    lang: str,
    participant_ids: Iterable[str] | None = None,
) -> Invitations:
    """Issue cards (see :func:`invite`) and make their links (``join_url?i=TOKEN``) and page."""
    tokens = await invite(hub, session_id, participant_ids)
    state = hub.state(session_id)
    links = {pid: f"{join_url}?{urlencode({'i': token})}" for pid, token in tokens.items()}
    return Invitations(state, links, invitation_cards(state, links, lang, place=state.place))
