"""The one door of the places' intake (:class:`PlaceHub`) and the way its scheduled requests come
into a new session (:mod:`facilitator.place_hub.sessions`)."""

from facilitator.place_hub.hub import IntakeOutcome, PlaceHub, local_now
from facilitator.store import StoreError as StorageError  # what a write may fail with

__all__ = ["IntakeOutcome", "PlaceHub", "StorageError", "local_now"]
