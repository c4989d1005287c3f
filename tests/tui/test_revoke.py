"""``revoke NAME``: the moderator takes a lost, stolen or shared phone away from the console."""

from __future__ import annotations

from tests.tui.console_kit import Kit, notices, type_line, until


async def test_revoke_from_the_command_line(kit: Kit) -> None:
    await kit.join("p1", "張伯")
    app = kit.app()
    async with app.run_test(size=(120, 40)) as pilot:
        seen = notices(app)
        await type_line(pilot, "revoke 張伯")
        await until(lambda: not kit.state.participants["p1"].has_device)
        assert "device-p1" not in kit.state.devices
        await type_line(pilot, "revoke 張伯")  # no phone any more: told so, nothing changes
        await until(lambda: any("張伯" in n for n in seen))
        assert kit.state.participants["p1"].checked_in
