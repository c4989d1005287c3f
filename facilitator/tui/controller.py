"""From what the moderator asked to the hub: resolve an intent and dispatch its commands.

The console's only way to change a session. Every refusal — a line that does not parse, a number
that is not on the board, a command the engine or the hub refuses — comes back as a translated
sentence for a notification; nothing here raises into the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.hub import Clock, Hub, HubError, new_id
from facilitator.i18n import error_message, t
from facilitator.session import SessionError
from facilitator.session.access import MODERATOR
from facilitator.session.state import SessionState
from facilitator.tui import intents as i
from facilitator.tui.commandline import CommandLineError, parse
from facilitator.tui.resolve import NewId, to_commands

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one request: ``error`` is a translated sentence, or None when it worked."""

    error: str | None = None
    view: str | None = None  # a view the moderator asked to switch to (lobby, main, ...)


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
    ) -> None:
        self.hub = hub
        self.session_id = session_id
        self.lang = lang
        self.clock: Clock = clock or hub.clock
        self.ids: Callable[[str], str] = ids

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
            commands = to_commands(
                intent, state, at=self.clock(), new_id=self.ids, moderator=moderator
            )
            for command in commands:
                await self.hub.dispatch(self.session_id, command, MODERATOR)
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
