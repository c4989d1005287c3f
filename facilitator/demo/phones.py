"""Simulated phones for the demo: real socket.io clients that behave like residents.

Each phone connects to the real server as a resident would (device token, join with a name and a
building), then reacts to what the moderator does: supports issues it agrees with, raises a few of
its own, queues to speak now and then, votes a few seconds after a poll opens, claims an action
item for its building, and rates the evening when asked. Nothing is scripted against the clock:
the moderator drives, the phones follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Sequence
from typing import Any

import socketio

from facilitator.demo.residents import ISSUES, Resident
from facilitator.server import PROTOCOL_VERSION

log = logging.getLogger(__name__)


class SimulatedPhone:
    """One resident's phone, over a real socket.io connection to the server."""

    def __init__(
        self, base_url: str, resident: Resident, rng: random.Random, pace: float = 1.0
    ) -> None:
        self.base_url = base_url
        self.resident = resident
        self.rng = rng
        self.pace = pace
        self.token = secrets.token_urlsafe(24)
        self.client = socketio.AsyncClient(reconnection=True, logger=False, engineio_logger=False)
        self.state: dict[str, Any] = {}
        self.me: dict[str, Any] = {}
        self.actions: set[str] = set()  # what this phone already did, so it does it once
        self._wake = asyncio.Event()
        self.client.on("state", self._on_state, namespace="/participant")
        self.client.on("me", self._on_me, namespace="/participant")

    async def _on_state(self, data: dict[str, Any]) -> None:
        self.state = data
        self._wake.set()

    async def _on_me(self, data: dict[str, Any]) -> None:
        self.me = data

    async def call(self, event: str, **payload: Any) -> dict[str, Any]:
        """Send a request with a fresh request id and return the server's answer."""
        payload["rid"] = secrets.token_hex(6)
        answer: dict[str, Any] = await self.client.call(
            event, payload, namespace="/participant", timeout=15
        )
        if not answer.get("ok"):
            log.debug("%s: %s refused: %s", self.resident.name, event, answer.get("error"))
        elif "me" in answer:
            self.me = answer["me"]
        return answer

    async def run(self) -> None:
        """Join, then follow the meeting until the session closes or the task is cancelled."""
        await self.client.connect(
            self.base_url,
            namespaces=["/participant"],
            auth={"v": PROTOCOL_VERSION, "token": self.token, "lang": "zh-Hant"},
            transports=["websocket"],
            wait_timeout=15,
        )
        try:
            await self.call(
                "join",
                name=self.resident.name,
                building=self.resident.building,
                category=self.resident.category,
            )
            while self.state.get("session", {}).get("phase") != "closed":
                self._wake.clear()
                await self.act()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=3 * self.pace)
                await self.sleep(0.5, 4.0)
        finally:
            await self.client.disconnect()

    async def sleep(self, low: float, high: float) -> None:
        await asyncio.sleep(self.rng.uniform(low, high) * self.pace)

    async def act(self) -> None:
        """One look at the meeting, and at most one thing done, as a person would."""
        state, me = self.state, self.me
        if not state or not me.get("joined"):
            return
        poll = state.get("poll")
        if poll and poll["id"] not in me.get("ballots", {}):
            await self.sleep(1.0, 6.0)  # people read the question before they tap
            await self.call("vote", poll_id=poll["id"], choices=[self.choose(poll)])
            return
        if state.get("rating", {}).get("open") and not me.get("rating"):
            await self.call("rate_session", stars=self.rng.choice((3, 4, 4, 5, 5)))
            return
        for follow_up in state.get("follow_ups", []):
            ref = follow_up["ref"]
            if follow_up["rating_open"] and ref not in me.get("delivery_ratings", {}):
                await self.call("rate_delivery", ref=ref, stars=self.rng.choice((2, 3, 4, 5)))
                return
        if state.get("item") is None:
            return
        await self.take_part(state, me)

    async def take_part(self, state: dict[str, Any], me: dict[str, Any]) -> None:
        roll = self.rng.random()
        issues = [i for i in state.get("issues", []) if i["id"] not in me.get("supports", [])]
        if roll < 0.08 and "raised" not in self.actions:
            self.actions.add("raised")
            await self.call("raise_issue", text=self.rng.choice(ISSUES))
        elif roll < 0.35 and issues:
            await self.call("support", issue_id=self.rng.choice(issues)["id"])
        elif roll < 0.42 and me.get("hand") is None and "hand" not in self.actions:
            self.actions.add("hand")
            await self.call("raise_hand")
        elif roll < 0.5:
            await self.claim(state, me)

    async def claim(self, state: dict[str, Any], me: dict[str, Any]) -> None:
        """A building head claims an action item without an owner that names the building
        (an item with an owner is the owner's to claim)."""
        if self.resident.category != "樓棟長" or me.get("claims"):
            return
        for action in state.get("actions", []):
            free = not action["claimed"] and not action["owner"]
            if free and self.resident.building in action["title"]:
                await self.call("claim", action_id=action["id"])
                return

    def choose(self, poll: dict[str, Any]) -> str:
        options: Sequence[str] = poll["options"]
        if poll["kind"] == "yes_no_abstain":
            return self.rng.choices(options, weights=(6, 2, 1))[0]
        return self.rng.choice(options)


async def run_phones(
    base_url: str, residents: Sequence[Resident], *, seed: int = 7, pace: float = 1.0
) -> None:
    """Run one simulated phone per resident, arriving over the first seconds, until closing."""
    rng = random.Random(seed)
    phones = [SimulatedPhone(base_url, r, random.Random(rng.random()), pace) for r in residents]

    async def arrive(phone: SimulatedPhone, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await phone.run()
        except (socketio.exceptions.SocketIOError, OSError, TimeoutError) as error:
            log.warning("simulated phone %s stopped: %s", phone.resident.name, error)

    await asyncio.gather(
        *(arrive(p, rng.uniform(0.0, 8.0) * pace) for p in phones), return_exceptions=True
    )
