"""What the console, the server, the pages and the command line all use, written once: ids and
join codes, creating a session from an agenda, and personal invitations with their cards.

It sits just above the hub (it dispatches through it) and below every adapter.
"""

from facilitator.services.ids import new_codes, new_id
from facilitator.services.invitations import Invitations, invitation_key, invite, issue_cards
from facilitator.services.sessions import (
    create_session,
    new_session_command,
    session_command,
    take_scheduled,
)

__all__ = [
    "Invitations",
    "create_session",
    "invitation_key",
    "invite",
    "issue_cards",
    "new_codes",
    "new_id",
    "new_session_command",
    "session_command",
    "take_scheduled",
]
