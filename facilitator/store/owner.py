"""Who is running a live session: the record a process leaves so that a second one can name it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace
from typing import Self


@dataclass(frozen=True, slots=True)
class LiveOwner:
    """The process that serves a session: its pid and machine, since when, and (once it is
    listening) the address it serves on and the URL people reach it at."""

    pid: int
    hostname: str
    started: dt.datetime
    host: str = ""
    port: int | None = None
    url: str = ""

    def serving(self, host: str, port: int, url: str) -> Self:
        """The same owner, now listening on ``host:port`` and reachable at ``url``."""
        return replace(self, host=host, port=port, url=url)

    @property
    def address(self) -> str:
        """``host:port`` it listens on, or "" before it listens."""
        return f"{self.host}:{self.port}" if self.port is not None else ""

    def to_json(self) -> str:
        record = asdict(self)
        record["started"] = self.started.isoformat()
        return json.dumps(record, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LiveOwner | None:
        """The owner written in ``text``; ``None`` when it is not a whole record (being written,
        or written by something else)."""
        try:
            record = json.loads(text)
            port = record.get("port")
            return cls(
                pid=int(record["pid"]),
                hostname=str(record.get("hostname", "")),
                started=dt.datetime.fromisoformat(str(record["started"])),
                host=str(record.get("host", "")),
                port=None if port is None else int(port),
                url=str(record.get("url", "")),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
