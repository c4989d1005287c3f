"""Staff accounts: who may screen which place's requests (docs/intake.md, "Staff accounts").

A district admin acts on every place; place staff only on the places granted to them. An account
signs in with its name and secret and gets a session token with an expiry; every staff action names
the account in the intake events' actor (``staff:<name>``).

Secrets are hashed with scrypt (``hashlib.scrypt``, in the standard library: no compiled dependency
to install on a community laptop) with a random 16-byte salt per account and OWASP's parameters
N=2^15, r=8, p=3 (32 MiB, about 0.3 s here; equivalent to their N=2^17, r=8, p=1 at a quarter of
the memory a laptop server must find for each sign-in). The hash string carries its parameters, so
they can be raised later without invalidating any account. Session tokens are 256 random bits and
kept as SHA-256 (a fast hash is right for a random token; scrypt is for what a person chooses).
Comparisons are constant-time. Neither a secret nor a token is ever logged or put in an error.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from facilitator.i18n import Refusal
from facilitator.intake.messages import refusal
from facilitator.store.accounts import ROLES, Account, AccountExists, AccountStore
from facilitator.store.backend import Database, open_account_store

SESSION_LENGTH = dt.timedelta(hours=12)
SECRET_MIN = 12  # characters of a secret a person chooses; generated ones are 24
NAME_MAX = 40


@dataclass(frozen=True, slots=True)
class ScryptParams:
    n: int = 2**15
    r: int = 8
    p: int = 3

    @property
    def maxmem(self) -> int:
        return 2 * 128 * self.r * self.n + 1024 * 1024


DEFAULT_PARAMS = ScryptParams()


class StaffErrorCode(StrEnum):
    INVALID_NAME = "invalid_name"
    ACCOUNT_EXISTS = "account_exists"
    UNKNOWN_ACCOUNT = "unknown_account"
    WEAK_SECRET = "weak_secret"
    PLACES_NEEDED = "places_needed"
    ADMIN_ALL_PLACES = "admin_all_places"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_DISABLED = "account_disabled"
    NOT_SIGNED_IN = "not_signed_in"
    SESSION_EXPIRED = "session_expired"
    FORBIDDEN = "forbidden"


class StaffError(Refusal):
    """A refusal about accounts, with a stable code (``intake.error.<code>`` in the catalogs); an
    :class:`~facilitator.i18n.Refusal`, worded as the intake's refusals are."""

    code: StaffErrorCode

    def __init__(self, code: StaffErrorCode, **params: Any) -> None:
        super().__init__(code.value)
        self.code, self.params = code, params

    def sentence(self, lang: str | None, reader: str = "moderator") -> str:
        return refusal(self.code.value, self.params, lang)


def new_secret() -> str:
    """A generated secret (144 random bits, URL-safe), shown once."""
    return secrets.token_urlsafe(18)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    """``scrypt$n$r$p$salt$hash`` of ``secret`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode(),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=32,
    )
    return f"scrypt${params.n}${params.r}${params.p}${_b64(salt)}${_b64(digest)}"


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches the hash string ``stored`` (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        params = ScryptParams(int(n), int(r), int(p))
        expected = base64.b64decode(digest)
        given = hashlib.scrypt(
            secret.encode(),
            salt=base64.b64decode(salt),
            n=params.n,
            r=params.r,
            p=params.p,
            maxmem=params.maxmem,
            dklen=len(expected),
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(given, expected)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is acting: a staff account, or the operator of this server (its own printed token,
    the console, the command line on the database file), who acts on every place."""

    actor: str
    name: str
    role: str  # admin, staff or operator
    places: tuple[str, ...] | None  # None: every place

    def may_act(self, place_id: str) -> bool:
        return self.places is None or place_id in self.places

    @classmethod
    def of(cls, account: Account) -> Identity:
        places = None if account.role == "admin" else account.places
        return cls(f"staff:{account.name}", account.name, account.role, places)


def operator(how: str) -> Identity:
    """The local operator: ``token`` (the server's printed token), ``console`` or ``cli``."""
    return Identity(f"operator:{how}", "", "operator", None)


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    identity: Identity
    expires_at: dt.datetime


def _valid_name(name: str) -> bool:
    return (
        0 < len(name) <= NAME_MAX
        and name == name.strip()
        and name.isprintable()
        and ":" not in name
    )


class StaffDirectory:
    """Accounts, grants and sign-ins of one database file (the policy over the SQL)."""

    def __init__(
        self,
        store: AccountStore,
        clock: Callable[[], dt.datetime],
        params: ScryptParams = DEFAULT_PARAMS,
        session: dt.timedelta = SESSION_LENGTH,
    ) -> None:
        self.store, self.clock, self.params, self.session = store, clock, params, session
        self._decoy = ""

    @classmethod
    def open(
        cls,
        db: Database,
        clock: Callable[[], dt.datetime],
        params: ScryptParams = DEFAULT_PARAMS,
    ) -> StaffDirectory:
        """The accounts of the database ``db`` (a SQLite file or a PostgreSQL URL)."""
        return cls(open_account_store(db), clock, params)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> StaffDirectory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- managing accounts (the command line) ----------------------------------------------------

    def accounts(self) -> list[Account]:
        return self.store.accounts()

    def account(self, name: str) -> Account:
        found = self.store.get(name)
        if found is None:
            raise StaffError(StaffErrorCode.UNKNOWN_ACCOUNT, name=name)
        return found

    def _checked_secret(self, secret: str) -> str:
        if len(secret) < SECRET_MIN:
            raise StaffError(StaffErrorCode.WEAK_SECRET, min=SECRET_MIN)
        return hash_secret(secret, self.params)

    def add(self, name: str, role: str, places: tuple[str, ...], secret: str) -> Account:
        if not _valid_name(name):
            raise StaffError(StaffErrorCode.INVALID_NAME, max=NAME_MAX)
        if role not in ROLES:
            raise ValueError(role)
        if role == "admin" and places:
            raise StaffError(StaffErrorCode.ADMIN_ALL_PLACES)
        if role == "staff" and not places:
            raise StaffError(StaffErrorCode.PLACES_NEEDED)
        if self.store.get(name) is not None:
            raise StaffError(StaffErrorCode.ACCOUNT_EXISTS, name=name)
        try:
            self.store.create(name, role, self._checked_secret(secret), places, self.clock())
        except AccountExists:  # created by another process meanwhile
            raise StaffError(StaffErrorCode.ACCOUNT_EXISTS, name=name) from None
        return self.account(name)

    def grant(self, name: str, place_id: str) -> Account:
        if self.account(name).role == "admin":
            raise StaffError(StaffErrorCode.ADMIN_ALL_PLACES)
        self.store.grant(name, place_id)
        return self.account(name)

    def revoke(self, name: str, place_id: str) -> Account:
        self.account(name)
        self.store.revoke(name, place_id)
        return self.account(name)

    def reset_secret(self, name: str, secret: str) -> None:
        """A new secret; the account's sessions end."""
        self.account(name)
        self.store.set_secret(name, self._checked_secret(secret))

    def set_disabled(self, name: str, disabled: bool) -> Account:
        """Disabling ends every session of the account at once."""
        self.account(name)
        self.store.set_disabled(name, disabled)
        return self.account(name)

    # --- signing in and acting -----------------------------------------------------------------

    def stored_secret(self, name: str) -> str:
        """The hash to check a sign-in against; for an unknown name a decoy, so that a wrong name
        costs the same time as a wrong secret and names cannot be probed."""
        stored = self.store.get(name) and self.store.secret_hash(name)
        if stored:
            return stored
        if not self._decoy:
            self._decoy = hash_secret(new_secret(), self.params)
        return self._decoy

    def start_session(self, name: str, checked: bool) -> Login:
        """After :func:`check_secret` (``checked``): a session token for ``name``."""
        account = self.store.get(name) if checked else None
        if account is None:
            raise StaffError(StaffErrorCode.LOGIN_FAILED)
        if account.disabled:
            raise StaffError(StaffErrorCode.ACCOUNT_DISABLED)
        return self.issue(account)

    def issue(self, account: Account, now: dt.datetime | None = None) -> Login:
        """A session token for ``account`` from ``now`` (default: the clock)."""
        now = now or self.clock()
        token, expires = secrets.token_urlsafe(32), now + self.session
        self.store.drop_expired(now)
        self.store.add_token(token_hash(token), account.name, now, expires)
        return Login(token, Identity.of(account), expires)

    def login(self, name: str, secret: str) -> Login:
        """Check ``secret`` and start a session (blocking: scrypt takes a moment)."""
        return self.start_session(name, check_secret(secret, self.stored_secret(name)))

    def identify(self, token: str) -> Identity:
        """Who holds the session ``token``: refused when unknown, expired or disabled."""
        record = self.store.token(token_hash(token)) if token else None
        if record is None:
            raise StaffError(StaffErrorCode.NOT_SIGNED_IN)
        if record.expires_at <= self.clock():
            self.store.drop_token(token_hash(token))
            raise StaffError(StaffErrorCode.SESSION_EXPIRED)
        if record.account.disabled:
            raise StaffError(StaffErrorCode.ACCOUNT_DISABLED)
        return Identity.of(record.account)

    def logout(self, token: str) -> None:
        self.store.drop_token(token_hash(token))
