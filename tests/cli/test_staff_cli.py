"""``facilitator staff`` from a shell's view: accounts made and changed by real processes, the
secret shown once and found nowhere else, and a running ``serve --place`` obeying them at once."""

from __future__ import annotations

import getpass
import io
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from facilitator.cli import main
from facilitator.place_hub import PlaceHub
from tests.cli.cli_kit import ENV, ROOT, Serve, facilitator
from tests.cli.test_intake_cli import make_place, raise_requests
from tests.pg_fixtures import pg_cluster, raw_sql
from tests.pg_kit import Cluster

__all__ = ["pg_cluster"]  # the fixture

SECRET = "a long secret typed by hand"


def staff(db: Path, *args: str, secret: str | None = None) -> subprocess.CompletedProcess[str]:
    """``facilitator staff ARGS --db DB`` as a process, ``secret`` on its stdin if given."""
    return subprocess.run(
        [sys.executable, "-m", "facilitator", "staff", *args, "--db", str(db), "--lang", "en"],
        input=secret + "\n" if secret is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env=ENV,
    )


def test_accounts_are_made_listed_and_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    assert facilitator("place", "create", "anle", "--name", "安樂社區", "--db", db).returncode == 0
    made = staff(db, "add", "小李", "--role", "staff", "--place", "heping")
    assert made.returncode == 0, made.stderr
    shown = made.stdout.splitlines()[-1].rsplit(" ", 1)[-1]  # the generated secret, once
    assert "shown only this once" in made.stdout and len(shown) == 24
    typed = staff(db, "add", "王主任", "--role", "admin", "--secret-stdin", secret=SECRET)
    assert typed.returncode == 0 and SECRET not in typed.stdout + typed.stderr
    assert staff(db, "grant", "小李", "anle").stdout == "小李\tstaff\tanle,heping\tactive\n"
    assert staff(db, "revoke-place", "小李", "heping").stdout == "小李\tstaff\tanle\tactive\n"
    assert staff(db, "disable", "小李").stdout == "小李\tstaff\tanle\tdisabled\n"
    listing = staff(db, "list")
    assert listing.stdout == "小李\tstaff\tanle\tdisabled\n王主任\tadmin\t*\tactive\n"
    again = staff(db, "reset-secret", "小李")
    assert "their sessions have ended" in again.stdout
    other = again.stdout.splitlines()[-1].rsplit(" ", 1)[-1]
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("f.db*"))
    for secret in (shown, other, SECRET):
        assert secret.encode() not in raw and secret not in listing.stdout


@pytest.mark.parametrize(
    ("args", "secret", "said"),
    [
        (("add", "小張", "--place", "nowhere"), None, "no place 'nowhere' (places: heping)"),
        (("add", "小張", "--secret-stdin", "--place", "heping"), "short", "at least 12"),
        (("add", "小張"), None, "at least one place"),
        (("add", "王", "--role", "admin", "--place", "heping"), None, "every place"),
        (("grant", "nobody", "heping"), None, "no staff account named nobody"),
        (("disable", "nobody"), None, "no staff account named nobody"),
    ],
)
def test_refusals_are_sentences_and_change_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    secret: str | None,
    said: str,
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    done = staff(db, *args, secret=secret)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and (secret is None or secret not in done.stderr)
    assert staff(db, "list").stdout.startswith("no staff accounts yet")


def test_the_prompt_asks_twice_and_shows_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    answers = iter([SECRET, SECRET + "?"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(answers))
    args = ["staff", "add", "小李", "--place", "heping", "--prompt", "--db", str(db)]
    assert main([*args, "--lang", "en"]) == 2
    assert "the two secrets differ" in capsys.readouterr().err
    answers = iter([SECRET, SECRET])
    assert main([*args, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert SECRET not in out and out.startswith("account created: 小李")


@pytest.mark.e2e
async def test_a_running_server_obeys_the_accounts_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    make_place(capsys, db)
    raise_requests(db, "路燈不亮")
    assert (
        staff(db, "add", "小李", "--place", "heping", "--secret-stdin", secret=SECRET).returncode
        == 0
    )
    server = Serve(tmp_path, "--place", "heping", "--db", db, "--host", "127.0.0.1", "--port", 0)
    try:
        url = server.wait_ready()["url"]
        async with aiohttp.ClientSession() as http:
            body = {"name": "小李", "secret": SECRET}
            async with http.post(f"{url}/api/staff/login", json=body) as r:
                token = (await r.json())["token"]
            auth = {"Authorization": f"Bearer {token}"}
            act = f"{url}/api/staff/heping/requests/1/accept"
            async with http.post(act, json={}, headers=auth) as r:
                assert r.status == 200
            assert staff(db, "disable", "小李").returncode == 0  # another process, meanwhile
            async with http.post(f"{url}/api/staff/heping/requests/1/answer", json={"text": "x"},
                                 headers=auth) as r:  # fmt: skip
                assert (r.status, (await r.json())["error"]) == (403, "account_disabled")
    finally:
        code, out, err = server.interrupt()
    assert code == 0
    assert SECRET not in out + err and token not in out + err
    history = facilitator("intake", "show", "heping", "1", "--db", db).stdout
    assert "已受理    小李" in history  # accepted by the account, in the history


def test_accounts_on_postgresql(
    pg_cluster: Cluster, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_cluster.new_database()
    d = ["--db", url, "--lang", "en"]
    assert main(["place", "create", "heping", "--name", "和平里社區", "--db", url]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    assert main(["staff", "add", "小李", "--place", "heping", "--secret-stdin", *d]) == 0
    assert main(["staff", "list", *d]) == 0
    out = capsys.readouterr().out
    assert out.endswith("小李\tstaff\theping\tactive\n") and SECRET not in out
    with PlaceHub.open(url) as hub:
        assert hub.staff.login("小李", SECRET).identity.may_act("heping")
    stored = raw_sql(url, "SELECT secret FROM staff_accounts")
    assert SECRET not in str(stored) and str(stored).startswith("[('scrypt$32768$8$3$")
