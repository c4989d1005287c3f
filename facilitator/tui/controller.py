"""From what the moderator asked to the hub: resolve an intent and dispatch its commands.

The console's only way to change a session. Every refusal — a line that does not parse, a number
that is not on the board, a command the engine or the hub refuses — comes back as a translated
sentence for a notification; nothing here raises into the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from facilitator.hub import Clock, Hub
from facilitator.i18n import answer, t, translator
from facilitator.minutes import slugify
from facilitator.services import issue_cards, new_id
from facilitator.session.access import MODERATOR
from facilitator.session.errors import ErrorCode
from facilitator.session.events import Event
from facilitator.session.state import SessionState
from facilitator.session.values import ItemStatus, PollKind
from facilitator.tui import intents as i
from facilitator.tui.commandline import CommandLineError, parse
from facilitator.tui.feedback import describe
from facilitator.tui.resolve import NewId, roster_ids, to_commands

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one request: ``error`` is a translated sentence, or None when it worked."""

    error: str | None = None
    view: str | None = None  # a view the moderator asked to switch to (lobby, main, ...)
    notice: str | None = None  # what was done, when it is worth saying (a file written, ...)
    done: str = ""  # what the command changed, in one short line (from its events)
    help: str | None = None  # the command reference asked for: "" for all, or one verb
    confirm_end: tuple[str, ...] | None = None  # ``end`` needs a yes first; what it will cut short


class Controller:
    """Runs command lines and intents for the moderator of one session."""

    def __init__(
        self,
        hub: Hub,
        session_id: str,
        lang: str,
        *,
        clock: Clock | None = None,
        ids: NewId = new_id,
        join_url: str = "",
        folder: Path = Path("minutes"),
    ) -> None:
        self.hub = hub
        self.session_id = session_id
        self.lang = lang
        self.clock: Clock = clock or hub.clock
        self.ids: Callable[[str], str] = ids
        self.join_url = join_url
        self.folder = folder  # where printed papers (invitation cards) are written

    @property
    def state(self) -> SessionState:
        return self.hub.state(self.session_id)

    async def run_line(self, line: str) -> Result:
        """Parse and carry out one typed line."""
        try:
            intent = parse(line)
        except CommandLineError as error:
            return Result(error=error.message(self.lang))
        except Exception as error:  # a grammar bug must not stop the evening: say so, log it
            log.exception("command line not understood: %r", line)
            return Result(error=answer(error, self.lang).message)
        return await self.run(intent)

    async def run(self, intent: i.Intent, *, confirmed: bool = False) -> Result:
        """Carry out ``intent``: switch a view, or send its commands in order.

        ``end`` is carried out only ``confirmed``; otherwise the result asks for a yes and names
        what ending now would cut short (items never started, an open poll)."""
        if isinstance(intent, i.Show):
            return Result(view=intent.view)
        if isinstance(intent, i.Help):
            return Result(help=intent.verb)
        if intent == i.Simple("end") and not confirmed:
            return Result(confirm_end=self.end_warnings())
        state = self.state
        moderator = state.moderator or t("term.moderator", self.lang)
        try:
            if isinstance(intent, i.Invite):
                return await self._invite(intent.name)
            commands = to_commands(
                intent, state, at=self.clock(), new_id=self.ids, moderator=moderator
            )
            events: list[Event] = []
            for command in commands:
                outcome = await self.hub.dispatch(self.session_id, command, MODERATOR)
                events.extend(outcome.events)
            if isinstance(intent, i.Link):
                return Result(notice=t("console.linked", self.lang, name=intent.roster))
            return Result(done=describe(events, self.state, translator(self.lang), self.lang))
        except CommandLineError as error:
            return Result(error=error.message(self.lang))
        except Exception as error:  # a console that crashes mid-meeting loses the room
            told = answer(error, self.lang)
            if isinstance(intent, i.Hands) and told.code == ErrorCode.OVER_CAPACITY:
                return Result(error=self._too_many_hands(intent))
            if not told.expected:
                log.exception("command failed: %r", intent)
            return Result(error=told.message)

    def _too_many_hands(self, intent: i.Hands) -> str:
        """A refused hand count: the largest count allowed, and how to fix the head count."""
        state = self.state
        poll = state.open_poll
        ballots = len(poll.ballots) if poll is not None else 0
        hands = sum(count for _, count in intent.counts)
        if poll is not None and poll.kind is PollKind.MULTI:
            hands = max((count for _, count in intent.counts), default=0)
        missing = ballots + hands - state.present  # people voting who are not counted present
        return t(
            "console.hands.too_many",
            self.lang,
            hands=hands,
            present=state.present,
            ballots=ballots,
            most=max(state.present - ballots, 0),
            walk_ins=state.walk_ins + max(missing, 0),
        )

    def end_warnings(self) -> tuple[str, ...]:
        """What ending the session now would cut short, one sentence each."""
        state, lang = self.state, self.lang
        never = [
            f"{item.number}. {item.title}"
            for item in (state.items[item_id] for item_id in state.item_order)
            if item.status is ItemStatus.PENDING
        ]
        said: list[str] = []
        if never:
            said.append(t("console.confirm.pending_items", lang, items=_list(never, lang)))
        poll = state.open_poll
        if poll is not None:
            said.append(t("console.confirm.open_poll", lang, question=poll.question))
        return tuple(said)

    async def _invite(self, name: str) -> Result:
        """Issue personal invitation cards and write them as a printable page."""
        wanted = roster_ids(self.state, name)
        if not wanted:
            return Result(notice=t("console.invite.none", self.lang))
        issued = await issue_cards(self.hub, self.session_id, self.join_url, self.lang, wanted)
        state = issued.state
        day = state.date or self.clock().date()
        path = self.folder / f"{day.isoformat()}-{slugify(state.title)}-invitations.html"
        try:
            await self.hub.run_io(_write, path, issued.page)
        except OSError as error:
            return Result(error=t("console.invite.failed", self.lang, error=str(error)))
        count = len(issued.links)
        return Result(notice=t("console.invite.written", self.lang, count=count, path=path))


def _list(names: list[str], lang: str) -> str:
    return ("、" if lang.startswith("zh") else ", ").join(names)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
