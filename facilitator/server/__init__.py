"""The live server for phones, displays and remote moderator clients (aiohttp + python-socketio).

A thin adapter: payloads are validated into engine commands (:mod:`.wire`) and sent through the
:class:`~facilitator.hub.Hub`; engine events become coalesced snapshots (:mod:`.broadcast`).
"""

from facilitator.server.app import RunningServer, ServerSettings, build_app, start_server
from facilitator.server.wire import PROTOCOL_VERSION

__all__ = ["PROTOCOL_VERSION", "RunningServer", "ServerSettings", "build_app", "start_server"]
