"""docs/scale.md's reverse-proxy setup through a real nginx, in real Chromium: a shared address in
front of two ``serve`` processes (one owner, one standby), each also reachable under its own
address. A phone scanning the shared address lands on the owner's; when the owner is killed with
SIGKILL the standby takes over and the page finds it through the shared address, as the same
person. Skipped only where nginx is not installed (``apt-get install nginx-light``)."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from facilitator.session.events import ParticipantJoined
from facilitator.store import EventStore
from tests.cli.cli_kit import Serve, free_port, wait_for, write_agenda
from tests.e2e.e2e_kit import ARGS, CHROMIUM, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  upstream facilitator_any {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=2s;
  }}
  server {{
    listen 127.0.0.1:{shared};
    location / {{
      proxy_pass http://facilitator_any;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 1s;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Host $http_host;
    }}
  }}
  server {{
    listen 127.0.0.1:{own_a};
    location / {{
      proxy_pass http://127.0.0.1:{a};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_read_timeout 60s;
      proxy_buffering off;
    }}
  }}
  server {{
    listen 127.0.0.1:{own_b};
    location / {{
      proxy_pass http://127.0.0.1:{b};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_read_timeout 60s;
      proxy_buffering off;
    }}
  }}
}}
"""


@contextmanager
def nginx(folder: Path, **ports: int) -> Iterator[None]:
    folder.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(CONFIG.format(dir=folder, **ports), encoding="utf-8")
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: (folder / "nginx.pid").exists() or process.poll() is not None)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_a_phone_through_nginx_follows_its_session_to_the_standby(tmp_path: Path) -> None:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} is missing; run `make browser`")
    a, b, shared, own_a, own_b = (free_port() for _ in range(5))
    shared_url = f"http://127.0.0.1:{shared}"
    agenda, db = write_agenda(tmp_path), tmp_path / "f.db"
    common = ("--db", db, "--host", "127.0.0.1", "--fallback-url", shared_url)
    with nginx(tmp_path / "nginx", a=a, b=b, shared=shared, own_a=own_a, own_b=own_b):
        owner = Serve(tmp_path, agenda, *common, "--port", a,
                      "--public-url", f"http://127.0.0.1:{own_a}")  # fmt: skip
        standby: Serve | None = None
        try:
            ready = owner.wait_ready()
            with EventStore.open(db) as store:
                join = store.get_session(ready["session_id"]).join_code
            standby = Serve(tmp_path, agenda, *common, "--port", b, "--takeover",
                            "--public-url", f"http://127.0.0.1:{own_b}")  # fmt: skip
            waiting = standby
            wait_for(lambda: "Ctrl-C" in waiting.err.read_text(encoding="utf-8"))
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    context = await browser.new_context(viewport=PHONE, locale="zh-Hant")
                    page = await context.new_page()
                    page.set_default_timeout(20000)
                    for _ in range(2):  # whichever process nginx asks, the phone lands on A
                        await page.goto(f"{shared_url}/j/{join}")
                        assert page.url == f"http://127.0.0.1:{own_a}/j/{join}"
                    await page.fill("#join-name", "王阿姨")
                    await page.click("#join-form button[type=submit]")
                    await expect(page.locator("#whoami")).to_contain_text("王阿姨")

                    owner.process.send_signal(signal.SIGKILL)
                    owner.process.wait(timeout=10)
                    await page.wait_for_url(f"http://127.0.0.1:{own_b}/j/{join}", timeout=30000)
                    await expect(page.locator("#whoami")).to_contain_text("王阿姨")
                    await expect(page.locator("#join")).to_be_hidden()
                    await page.goto(f"{shared_url}/j/{join}")  # the shared name now leads to B
                    assert page.url == f"http://127.0.0.1:{own_b}/j/{join}"
                finally:
                    await browser.close()
        finally:
            owner.stop()
            if standby is not None:
                standby.stop()
    with EventStore.open(db) as store:
        events = [stored.event for stored in store.load(ready["session_id"])]
    assert [e.display_name for e in events if isinstance(e, ParticipantJoined)] == ["王阿姨"]
