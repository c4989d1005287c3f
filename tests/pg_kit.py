"""A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries, a temp dir, a unix
socket (no TCP unless asked for), stopped by pid.

``initdb`` refuses to run as root, so as root the cluster belongs to ``nobody`` (its folder is
chowned to it and the server runs as it); as anyone else it belongs to that user. ``fsync=off`` by
default keeps it fast: these clusters test the store's logic and its transactions, and the crash
tests kill the *client* process, whose acknowledged commits the server has regardless of fsync.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

PASSWORD_USER = "facilitator_pw"
PASSWORD = "correct horse"
_START_TIMEOUT_S = 30.0


def pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with initdb in it, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def missing_reason() -> str | None:
    """Why no cluster can be started here (None when one can)."""
    if pg_bin() is None:
        return "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (`make postgres`)"
    return None


class Cluster:
    """A running cluster; ``url(db)`` for a database in it, ``new_database()`` for a fresh one."""

    def __init__(self, *, fsync: bool = False, tcp: bool = False) -> None:
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError(missing_reason())
        self._bin = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="facilitator-pg-"))
        self._user: str | None = "nobody" if os.geteuid() == 0 else None
        self.superuser = self._user or pwd.getpwuid(os.geteuid()).pw_name
        self._counter = itertools.count(1)
        self._fsync = fsync
        self._tcp = tcp
        self.port = _free_port() if tcp else 5432  # also names the unix socket
        self.process: subprocess.Popen[bytes] | None = None

    # --- life ------------------------------------------------------------------------------------

    def start(self) -> Cluster:
        """initdb, then :meth:`launch`."""
        data = self.dir / "data"
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run(self._bin / "initdb", "-D", str(data), "-A", "trust", "-E", "UTF8",
                  "--locale=C", "-N")  # fmt: skip
        hba = data / "pg_hba.conf"  # one role signs in with a password (the bad-password tests)
        text = hba.read_text()
        hba.write_text(f"local all {PASSWORD_USER} scram-sha-256\n{text}")
        self.launch()
        self.sql(f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        return self

    def launch(self) -> None:
        """Start the server on the cluster's folder (again, after :meth:`halt`)."""
        listen = "127.0.0.1" if self._tcp else ""
        settings = ["-c", f"listen_addresses={listen}", "-p", str(self.port),
                    "-c", f"unix_socket_directories={self.dir}",
                    "-c", f"fsync={'on' if self._fsync else 'off'}", "-c", "max_connections=300",
                    "-c", "full_page_writes=off", "-c", "shared_buffers=32MB"]  # fmt: skip
        if not self._fsync:
            settings += ["-c", "synchronous_commit=off"]  # the store turns it on for itself
        with open(self.dir / "server.log", "ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [str(self._bin / "postgres"), "-D", str(self.dir / "data"), *settings],
                user=self._user,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self._wait_ready()

    def halt(self) -> None:
        """Stop the server by pid with SIGINT (fast shutdown: clients are disconnected); the
        cluster's folder stays, so :meth:`launch` brings the same databases back."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        """:meth:`halt`, then remove the folder."""
        self.halt()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, *args: str | Path) -> None:
        subprocess.run([str(a) for a in args], user=self._user, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + _START_TIMEOUT_S
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.dir / "server.log").read_text(errors="replace")
                raise RuntimeError(f"postgres exited at start:\n{log}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # --- use -------------------------------------------------------------------------------------

    def url(self, database: str = "postgres", *, user: str = "", password: str = "") -> str:
        """A ``postgresql://`` URL for ``database`` over the unix socket."""
        who = quote(user or self.superuser)
        if password:
            who += ":" + quote(password, safe="")
        where = quote(str(self.dir), safe="")
        return f"postgresql://{who}@/{database}?host={where}&port={self.port}"

    def tcp_url(self, database: str = "postgres") -> str:
        """A URL for ``database`` over TCP on 127.0.0.1 (a cluster made with ``tcp=True``)."""
        assert self._tcp, "this cluster listens on its unix socket only"
        return f"postgresql://{quote(self.superuser)}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY file_copy")
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
