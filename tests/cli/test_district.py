"""``serve --district``: a process that owns no session in front of a district — every place's
pages and staff API (with the token it prints), and phones sent to whichever process serves
their session, or told it is not live."""

from __future__ import annotations

import dataclasses
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from facilitator.hub import Hub
from facilitator.place_hub import PlaceHub
from facilitator.services import session_command
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, facilitator, free_port
from tests.server.intake_kit import create_place
from tests.server.server_kit import AGENDA

pytestmark = pytest.mark.e2e


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location") or error.read().decode()


def test_a_district_process_serves_the_places_and_routes_the_sessions(tmp_path: Path) -> None:
    db = tmp_path / "district.db"
    with PlaceHub.open(str(db)) as places:
        create_place(places)
    with EventStore.open(db) as store:
        hub = Hub(store)
        for title in ("停車收費", "垃圾分類"):
            agenda = dataclasses.replace(AGENDA, title=title, place="heping")
            hub.create(session_command(agenda, store))
        hub.close()
        live, idle = sorted(info.join_code for info in store.sessions())
    common = ("--db", db, "--host", "127.0.0.1")
    owner = Serve(tmp_path, "--session", live, *common, "--port", free_port())
    front = Serve(tmp_path, "--district", *common, "--port", free_port(), "--lang", "en")
    try:
        serving = owner.wait_ready()
        ready = front.wait_ready()
        here = ready["url"]
        assert get(f"{here}/j/{live}") == (307, f"{serving['url']}/j/{live}")
        status, page = get(f"{here}/j/{idle}", **{"Accept-Language": "en"})
        assert status == 503 and "not live right now" in page and "/p/heping" in page
        assert get(f"{here}/p/heping")[0] == 200
        staff = f"{here}/api/staff/heping/requests"
        assert get(staff)[0] == 401  # not signed in
        assert get(staff, Authorization=f"Bearer {ready['moderator_token']}")[0] == 200
        assert get(f"{here}/socket.io/?EIO=4&transport=polling")[0] == 404  # nothing live here
        front.process.send_signal(signal.SIGTERM)
        assert front.process.wait(timeout=10) == 0
    finally:
        owner.stop()
        front.stop()
    refused = facilitator("serve", "--district", "agenda.md", "--db", db, "--lang", "en")
    assert refused.returncode == 2 and "cannot be combined" in refused.stderr
