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
from urllib.parse import urlencode

from facilitator.hub import Clock, Hub, HubError, new_id
from facilitator.i18n import error_message, t
from facilitator.minutes import slugify
from facilitator.minutes.cards import invitation_cards
from facilitator.session import SessionError
from facilitator.session.access import MODERATOR
from facilitator.session.state import SessionState
from facilitator.tui import intents as i
from facilitator.tui.commandline import CommandLineError, parse
from facilitator.tui.resolve import NewId, roster_ids, to_commands

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one request: ``error`` is a translated sentence, or None when it worked."""

    error: str | None = None
    view: str | None = None  # a view the moderator asked to switch to (lobby, main, ...)
    notice: str | None = None  # what was done, when it is worth saying (a file written, ...)


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
        return await self.run(intent)

    async def run(self, intent: i.Intent) -> Result:
        """Carry out ``intent``: switch a view, or send its commands in order."""
        if isinstance(intent, i.Show):
            return Result(view=intent.view)
        state = self.state
        moderator = state.moderator or t("term.moderator", self.lang)
        try:
            if isinstance(intent, i.Invite):
                return await self._invite(intent.name)
            commands = to_commands(
                intent, state, at=self.clock(), new_id=self.ids, moderator=moderator
            )
            for command in commands:
                await self.hub.dispatch(self.session_id, command, MODERATOR)
            if isinstance(intent, i.Link):
                return Result(notice=t("console.linked", self.lang, name=intent.roster))
        except CommandLineError as error:
            return Result(error=error.message(self.lang))
        except SessionError as error:
            return Result(error=error_message(error.code.value, self.lang, error.params))
        except HubError as error:
            return Result(error=error_message(error.code, self.lang, error.params))
        except Exception:  # a console that crashes mid-meeting loses the room; log and go on
            log.exception("command failed: %r", intent)
            return Result(error=error_message("internal_error", self.lang))
        return Result()

    async def _invite(self, name: str) -> Result:
        """Issue personal invitation cards and write them as a printable page."""
        wanted = roster_ids(self.state, name)
        if not wanted:
            return Result(notice=t("console.invite.none", self.lang))
        tokens = await self.hub.invite(self.session_id, wanted)
        state = self.state
        links = {pid: f"{self.join_url}?{urlencode({'i': token})}" for pid, token in tokens.items()}
        page = invitation_cards(state, links, self.lang, place=state.place)
        day = state.date or self.clock().date()
        path = self.folder / f"{day.isoformat()}-{slugify(state.title)}-invitations.html"
        try:
            await self.hub.run_io(_write, path, page)
        except OSError as error:
            return Result(error=t("console.invite.failed", self.lang, error=str(error)))
        return Result(notice=t("console.invite.written", self.lang, count=len(links), path=path))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
