"""A moderator on autopilot, for the headless demo and its smoke test.

It runs the sample 廣場夜話 the way 小李 would (SCENARIOS.md, story 1), in short steps: opens the
session, counts walk-ins, takes each item in turn, accepts the issues the phones raise and merges
duplicates, gives the floor to whoever queued, puts the support vote with a hand count for the
people without phones, records action items, asks for ratings and closes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from facilitator.hub import Hub, HubError
from facilitator.services import new_id
from facilitator.session import SessionError, SessionState
from facilitator.session import commands as c
from facilitator.session.access import MODERATOR
from facilitator.session.speakers import waiting
from facilitator.session.values import IssueStatus, Phase, PollKind, Threshold, ThresholdRule

log = logging.getLogger(__name__)
Say = Callable[[str], None]


class Autopilot:
    """Drives one session through the hub, pausing ``step_s`` between moves."""

    def __init__(self, hub: Hub, session_id: str, *, step_s: float = 1.0, say: Say = print) -> None:
        self.hub = hub
        self.session_id = session_id
        self.step_s = step_s
        self.say = say

    @property
    def state(self) -> SessionState:
        return self.hub.state(self.session_id)

    async def do(self, command: c.Command) -> bool:
        """Send one command; a refusal is reported and the autopilot carries on."""
        try:
            await self.hub.dispatch(self.session_id, command, MODERATOR)
        except (SessionError, HubError) as error:
            self.say(f"  (refused: {error})")
            return False
        return True

    async def pause(self, steps: float = 1.0) -> None:
        await asyncio.sleep(self.step_s * steps)

    def now(self) -> dt.datetime:
        return self.hub.clock()

    async def run(self, walk_ins: int = 12) -> None:
        """The whole evening, from opening to closing."""
        if self.state.phase is Phase.DRAFT:
            await self.do(c.OpenSession(at=self.now()))
        await self.pause(3)  # the phones arrive
        await self.do(c.SetWalkInCount(at=self.now(), count=walk_ins))
        self.say(f"present: {self.state.present} ({self.state.checked_in} phones)")
        while self.state.phase is Phase.OPEN:
            if not await self.do(c.AdvanceAgenda(at=self.now())):
                break
            item = self.state.current_item
            if item is None:
                break
            self.say(f"item {item.number}: {item.title}")
            await self.work_on_item()
        if self.state.phase is Phase.OPEN:
            await self.do(c.OpenRating(at=self.now()))
            await self.pause(4)
            await self.do(c.CloseSession(at=self.now()))
        ratings = [r.stars for r in self.state.ratings.values()]
        self.say(f"closed; {len(ratings)} ratings")

    async def work_on_item(self) -> None:
        await self.pause(3)
        await self.screen_issues()
        await self.hear_speakers()
        item = self.state.current_item
        if item is not None and item.options:
            await self.put_to_vote(item.title, item.options)
        elif item is not None and item.number == 2:
            await self.put_to_vote("是否同意啟動加裝電梯意見徵集？", ())
        await self.record_actions()

    async def screen_issues(self) -> None:
        """Accept new issues; merge one that repeats an earlier one's opening words."""
        seen: dict[str, str] = {}
        for issue in sorted(self.state.issues.values(), key=lambda i: i.number):
            if issue.status is not IssueStatus.NEW:
                continue
            twin = seen.get(issue.text[:4])
            if twin is not None:
                await self.do(
                    c.MergeIssues(at=self.now(), issue_id=issue.issue_id, into_issue_id=twin)
                )
            else:
                seen[issue.text[:4]] = issue.issue_id
                await self.do(c.AcceptIssue(at=self.now(), issue_id=issue.issue_id))

    async def hear_speakers(self, most: int = 2) -> None:
        for _ in range(most):
            if not waiting(self.state):
                return
            if await self.do(c.GrantFloor(at=self.now())):
                await self.pause(2)
                await self.do(c.EndSpeaking(at=self.now()))

    async def put_to_vote(self, question: str, options: tuple[str, ...]) -> None:
        poll_id = new_id("v-")
        kind = PollKind.SINGLE if options else PollKind.YES_NO_ABSTAIN
        threshold = Threshold(ThresholdRule.PLURALITY if options else ThresholdRule.TWO_THIRDS)
        opened = await self.do(
            c.OpenPoll(
                at=self.now(),
                poll_id=poll_id,
                question=question,
                kind=kind,
                options=options,
                threshold=threshold,
            )
        )
        if not opened:
            return
        await self.pause(8)  # the phones vote
        poll = self.state.polls[poll_id]
        room = max(self.state.present - poll.voters, 0)
        keys = options or ("yes", "no", "abstain")
        counts = [room * 6 // 10, room * 3 // 10]
        counts.append(room - sum(counts))
        hands = tuple(zip(keys, counts, strict=False))
        await self.do(c.RecordHandCount(at=self.now(), poll_id=poll_id, counts=hands))
        await self.do(c.ClosePoll(at=self.now(), poll_id=poll_id))
        decision = self.state.polls[poll_id].decision
        if decision is not None:
            self.say(f"  vote: {decision.outcome.value} {decision.totals}")

    async def record_actions(self) -> None:
        item = self.state.current_item
        if item is None or item.number != 4:
            return
        deadline = self.now().date() + dt.timedelta(days=30)
        for title, owner in (("出具1號樓採光評估", "設計院"), ("召開3號樓業主分攤協商會", "")):
            await self.do(
                c.AddActionItem(
                    at=self.now(),
                    action_id=new_id("t-"),
                    title=title,
                    owner=owner,
                    deadline=deadline,
                )
            )
        await self.pause(6)  # a building head claims the second one from a phone
