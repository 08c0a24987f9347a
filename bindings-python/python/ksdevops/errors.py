"""Exceptions raised by ksdevops, one class per kind of core error.

Every exception is a :class:`KsDevOpsError` with

* ``kind``: the core's error kind as a string (``"invalid_input"``, ``"not_found"``, ...),
* ``field``: the argument at fault, when the error is about an argument, else ``None``,
* ``status``: the HTTP status the server answered with, when there was an answer, else ``None``.

The classes also derive from the built-in exception a Python user would catch for the same
problem: :class:`InvalidInput` is a :class:`ValueError`, :class:`Timeout` a :class:`TimeoutError`.
Messages never contain secret values.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "KsDevOpsError",
    "InvalidInput",
    "NotFound",
    "Conflict",
    "Unauthorized",
    "Forbidden",
    "Refused",
    "ServerError",
    "TransportError",
    "DecodeError",
    "Timeout",
]


class KsDevOpsError(Exception):
    """Base class of every error ksdevops raises."""

    kind: str = "error"

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        field: Optional[str] = None,
        status: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.field = field
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message)]
        if self.field is not None:
            parts.append(f"field={self.field!r}")
        if self.status is not None:
            parts.append(f"status={self.status!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class InvalidInput(KsDevOpsError, ValueError):
    """The arguments are wrong (nothing was sent), or the server rejected them (``status`` 400)."""

    kind = "invalid_input"


class NotFound(KsDevOpsError):
    """The project, pipeline, run, branch, ... does not exist (HTTP 404)."""

    kind = "not_found"


class Conflict(KsDevOpsError):
    """The object already exists or was changed meanwhile (HTTP 409, or ks-devops' 400 "already exists")."""

    kind = "conflict"


class Unauthorized(KsDevOpsError):
    """No valid token: log in again (HTTP 401)."""

    kind = "unauthorized"


class Forbidden(KsDevOpsError):
    """The token is valid but lacks the permission (HTTP 403)."""

    kind = "forbidden"


class Refused(KsDevOpsError):
    """The server answered but declined the action, e.g. an input approval it does not allow."""

    kind = "refused"


class ServerError(KsDevOpsError):
    """The server (KubeSphere or Jenkins behind it) failed (HTTP 5xx, 429)."""

    kind = "server"


class TransportError(KsDevOpsError):
    """The request did not reach the server or the answer did not come back."""

    kind = "transport"


class DecodeError(KsDevOpsError):
    """The server's answer could not be read as what the operation returns."""

    kind = "decode"


class Timeout(KsDevOpsError, TimeoutError):
    """Waiting took longer than allowed."""

    kind = "timeout"
