"""The intake screen of the console: the place's requests between evenings (碼上議), screened by
typing ``accept 3``, ``merge 4 3``, ``reject 5 REASON``, ``answer 6 TEXT``, ``fix 3 物業公司
2026-03-06``, ``schedule 7 NOTE``, ``done r3 TEXT``. Escape goes back to the meeting.

It talks to the place hub (the same database file as the session), never to the server; the list
is refreshed every few seconds, so requests raised from phones meanwhile appear.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

from facilitator.i18n import t
from facilitator.intake import IntakeError, PlaceState, RequestStatus
from facilitator.place_hub import PlaceHub, StorageError, local_now
from facilitator.place_hub.hub import Clock
from facilitator.place_hub.sessions import place_for
from facilitator.place_hub.staff import operator
from facilitator.tui.intake_line import LineError, parse_line

REFRESH_S = 3.0
_HIDDEN = (RequestStatus.MERGED, RequestStatus.REJECTED, RequestStatus.TAKEN)


# The console is the moderator at the laptop that holds the database: the local operator, who may
# act on every place (as the command line may); its events say so in their actor.
CONSOLE = operator("console")


class IntakeScreen(ModalScreen[None]):
    """The requests of the session's place (or the first place), newest screening first."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", show=False)]
    DEFAULT_CSS = """
    IntakeScreen { align: center middle; }
    #intake-box { width: 96%; height: 90%; border: thick $accent; background: $surface; }
    #intake-title { padding: 0 1; text-style: bold; }
    #intake-table { height: 1fr; }
    #intake-help { padding: 0 1; color: $text-muted; width: 1fr; height: auto; }
    """

    def __init__(
        self, db: str, place_text: str, lang: str, clock: Clock = local_now, by: str = ""
    ) -> None:
        super().__init__()
        self.lang = lang
        self.by = by or "console"  # who screened, in the request's history
        self.hub = PlaceHub.open(db, clock=clock)
        found = place_for(self.hub, place_text)
        ids = self.hub.place_ids()
        self.place_id = found.place_id if found else (ids[0] if ids else "")

    def compose(self) -> ComposeResult:
        with Vertical(id="intake-box"):
            yield Label(id="intake-title")
            table: DataTable[Text] = DataTable(id="intake-table", cursor_type="row")
            yield table
            yield Label(t("intake.console.help", self.lang), id="intake-help")
            yield Input(placeholder=t("intake.console.placeholder", self.lang), id="intake-line")

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#intake-table", DataTable)
        for key in ("no", "status", "building", "category", "supporters", "text"):
            table.add_column(t(f"intake.console.col.{key}", self.lang), key=key)
        self.refresh_list()
        self.set_interval(REFRESH_S, self.refresh_list)
        self.query_one("#intake-line", Input).focus()

    def on_unmount(self) -> None:
        self.hub.close()

    def _state(self) -> PlaceState | None:
        return self.hub.state(self.place_id) if self.place_id else None

    def refresh_list(self) -> None:
        """Redraw the open requests (requests raised from phones meanwhile included)."""
        title = self.query_one("#intake-title", Label)
        place = self._state()
        table: DataTable[Text] = self.query_one("#intake-table", DataTable)
        table.clear()
        if place is None or not place.exists:
            title.update(Text(t("intake.console.no_place", self.lang)))
            return
        now = self.hub.clock()
        shown = [r for r in place.requests.values() if r.status not in _HIDDEN]
        shown.sort(key=lambda r: (r.status is not RequestStatus.PENDING, r.number))
        late = 0
        for r in shown:
            overdue = r.first_answer_at is None and place.answer_overdue(r, now)
            late += overdue
            status = t(f"intake.status.{r.status.value}", self.lang)
            row = [
                Text(f"#{r.number}"),
                Text(status + (" !" if overdue else ""), style="bold red" if overdue else ""),
                Text(f"{place.building_name(r.building)} {r.unit}".strip()),
                Text(r.category or "-"),
                Text(str(len(r.supporters))),
                Text(r.text),  # the resident's words: text, never markup
            ]
            table.add_row(*row, key=str(r.number))
        counts = t("intake.console.counts", self.lang, open=len(shown), overdue=late)
        title.update(Text(f"{place.name} · {counts}"))

    @on(Input.Submitted, "#intake-line")
    async def _submitted(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        if not line:
            return
        try:
            command = parse_line(line, self.hub.clock(), by=self.by)
            await self.hub.dispatch(self.place_id, command, actor=CONSOLE.actor)
        except LineError as error:
            self.notify(t(error.key, self.lang, **error.params), severity="error")
            return
        except IntakeError as error:
            self.notify(error.sentence(self.lang), severity="error")
            return
        except StorageError as error:
            self.notify(error.message, severity="error")
            return
        event.input.value = ""
        self.notify(t("intake.console.done", self.lang, line=line))
        self.refresh_list()

    def action_close(self) -> None:
        self.dismiss(None)
