"""When the log stops taking writes — whoever was writing, a phone or the moderator — the console
says so at once, and again when saving works."""

from __future__ import annotations

import pytest

from facilitator.hub import HubError
from facilitator.session import commands as c
from tests.tui.console_kit import Kit, notices, type_line, until


async def test_the_moderator_hears_when_a_phones_change_cannot_be_saved(kit: Kit) -> None:
    app = kit.app()
    async with app.run_test(size=(150, 45)) as pilot:
        await until(lambda: len(app.screen_stack) > 1)
        seen = notices(app)
        await type_line(pilot, "open")
        await until(lambda: kit.state.phase.value == "open")
        kit.store._conn.execute("PRAGMA query_only = ON")  # the disk stops taking writes
        join = c.JoinSession(
            at=kit.clock(), participant_id="p1", device_key="device-p1", display_name="張伯"
        )
        with pytest.raises(HubError):
            await kit.phone("p1", join)  # a phone, not the console, hit the failure
        await until(lambda: any("無法保存" in message for message in seen))
        assert kit.state.participants.get("p1") is None  # nothing unsaved was taken in
        kit.store._conn.execute("PRAGMA query_only = OFF")
        await kit.phone("p1", join)
        await until(lambda: any("保存已恢復" in message for message in seen))
        await until(lambda: "p1" in kit.state.participants)
        assert kit.state.participants["p1"].display_name == "張伯"
