"""The intake of a place between evenings (碼上議): requests raised from a building's QR code,
screened by staff, answered, fixed as ledger items or scheduled for the next session; ratings of
delivered items from home. Sans-IO like :mod:`facilitator.session`: commands in, events out, state
folded from events."""

from facilitator.intake.engine import IntakeEngine, decide
from facilitator.intake.errors import IntakeCode, IntakeError
from facilitator.intake.events import INTAKE_EVENT_TYPES, IntakeEvent
from facilitator.intake.fold import apply
from facilitator.intake.state import Building, Item, PlaceState, Request
from facilitator.intake.values import ItemProgress, RequestStatus, Urgency

__all__ = [
    "INTAKE_EVENT_TYPES",
    "Building",
    "IntakeCode",
    "IntakeEngine",
    "IntakeError",
    "IntakeEvent",
    "Item",
    "ItemProgress",
    "PlaceState",
    "Request",
    "RequestStatus",
    "Urgency",
    "apply",
    "decide",
]
