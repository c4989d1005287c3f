"""One way to turn an error into an answer: every door answers a refusal the same way.

The engine's, the hub's and the server's errors are all :class:`Refusal`s; the namespaces and the
console controller turn any exception into an answer with :func:`answer` and list no error classes
of their own (checked on their source, so a new hand-made mapping cannot creep back in).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from facilitator.hub import HubError
from facilitator.i18n import LANGS, Refusal, answer, error_message
from facilitator.server.wire import WireError
from facilitator.session import ErrorCode, SessionError

PACKAGE = Path(__file__).parents[2] / "facilitator"
FAMILIES = (SessionError, HubError, WireError)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "error",
    [
        SessionError(ErrorCode.DUPLICATE_ID, id="v1"),
        HubError("storage_error", "disk full"),
        WireError("text_too_long", field="text", length=2500, limit=2000),
    ],
    ids=lambda e: type(e).__name__,
)
def test_a_refusal_is_answered_with_its_code_and_message(error: Refusal, lang: str) -> None:
    told = answer(error, lang)
    assert told.code == str(error.code) and told.expected
    assert told.message == error_message(str(error.code), lang, error.params)
    assert told.message and "{" not in told.message
    assert told.ack() == {"ok": False, "error": told.code, "message": told.message}


def test_a_bug_is_an_internal_error_with_no_internals() -> None:
    told = answer(KeyError("secret internals"), "en")
    assert told.code == "internal_error" and not told.expected
    assert "secret" not in told.message


def test_every_error_family_a_person_can_cause_is_a_refusal() -> None:
    assert all(issubclass(family, Refusal) for family in FAMILIES)


@pytest.mark.parametrize("path", ["server/namespaces.py", "tui/controller.py"])
def test_the_doors_list_no_error_classes_of_their_own(path: str) -> None:
    tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
    caught = {
        ast.unparse(handler.type)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler) and handler.type is not None
    }
    named = {name for name in caught for family in FAMILIES if family.__name__ in name}
    assert not named, f"{path} maps {named} by hand; use facilitator.i18n.answer"
