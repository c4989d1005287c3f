"""The poll form: a multi-choice poll with a maximum number of choices."""

from __future__ import annotations

from textual.widgets import Input, Select

from facilitator.session.values import PollKind
from facilitator.tui.screens.main import MainScreen
from facilitator.tui.screens.poll_form import PollForm
from tests.tui.console_kit import Kit, notices, type_line, until


async def test_a_multi_choice_poll_with_at_most_two_choices(kit: Kit) -> None:
    app = kit.app("en")
    async with app.run_test(size=(130, 40)) as pilot:
        seen = notices(app)
        await type_line(pilot, "open")
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.ready)
        await pilot.press("f5")
        await until(lambda: isinstance(app.screen, PollForm))
        form = app.screen
        form.query_one("#question", Input).value = "Which two benches first?"
        form.query_one("#kind", Select).value = PollKind.MULTI
        form.query_one("#options", Input).value = "East gate | Pond | Playground"
        most = form.query_one("#max", Input)
        most.value = "5"
        most.focus()
        await pilot.press("enter")  # Enter in any field opens it, as the button does
        await until(lambda: seen[-1] == "Write how many options may be chosen, from 1 to 3.")
        assert isinstance(app.screen, PollForm) and kit.state.open_poll_id is None
        most.value = "2"
        await pilot.press("enter")
        await until(lambda: kit.state.open_poll_id is not None)
        poll = kit.state.polls[kit.state.open_poll_id or ""]
        assert poll.kind is PollKind.MULTI and poll.max_choices == 2
        assert poll.options == ("East gate", "Pond", "Playground")
