"""The one door of the places' intake (:class:`PlaceHub`) and the way its scheduled requests come
into a new session (:mod:`facilitator.place_hub.sessions`)."""

from facilitator.place_hub.hub import IntakeOutcome, PlaceHub, local_now

__all__ = ["IntakeOutcome", "PlaceHub", "local_now"]
