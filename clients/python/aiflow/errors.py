"""Typed exceptions built from the platform's problem bodies.

The platform answers errors with a JSON problem body: RFC 9457 ``application/problem+json``
(``{"type", "title", "status", "detail", "code"}``) or, from older servers, ``application/json``
``{"status", "code", "message"}``. Both are read the same way: switch on :attr:`AiflowError.code`
(stable) or on the exception class, never on :attr:`AiflowError.detail` (text for people).
"""
from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type


class AiflowError(Exception):
    """An error answer of the platform, or a failure to reach it (``status`` 0).

    :ivar status: the HTTP status (0 when no answer arrived)
    :ivar code: the stable problem code, e.g. ``"not_found"``
    :ivar detail: the human-readable message
    :ivar body: the whole problem body as a dict (extra members such as ``missing`` included)
    """

    def __init__(self, status: int, code: str, detail: str, body: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.body: Dict[str, Any] = dict(body or {})

    @property
    def message(self) -> str:
        """The same as :attr:`detail` (the older bodies called it ``message``)."""
        return self.detail


class InvalidArgument(AiflowError):
    """400: malformed input, a value breaking a rule; nothing was stored."""


class Unauthenticated(AiflowError):
    """401: no credentials, a wrong password, or an unknown, revoked or expired token."""


class Forbidden(AiflowError):
    """403: the caller's roles do not allow this call."""


class NotFound(AiflowError):
    """404: no such record or path."""


class Conflict(AiflowError):
    """409: the call conflicts with the current state (name taken, stale revision, forbidden stage change...)."""


class PreconditionFailed(AiflowError):
    """412: a precondition of the request (e.g. ``If-Match``) does not hold."""


class TooLarge(AiflowError):
    """413: an event value or a body over the platform's limits."""


class Unavailable(AiflowError):
    """503 (or no connection): nothing was stored; retry later.

    :ivar retry_after: the seconds the server's ``Retry-After`` asked to wait, or ``None``
    """

    def __init__(self, status: int, code: str, detail: str, body: Optional[Mapping[str, Any]] = None,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(status, code, detail, body)
        self.retry_after = retry_after


class TooManyRequests(Unavailable):
    """429: the platform asks the caller to slow down (``retry_after``); retried like a 503."""


_BY_STATUS: Dict[int, Type[AiflowError]] = {
    400: InvalidArgument, 401: Unauthenticated, 403: Forbidden, 404: NotFound, 409: Conflict,
    412: PreconditionFailed, 413: TooLarge, 429: TooManyRequests, 503: Unavailable,
}


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime
        import datetime
        when = parsedate_to_datetime(value)
        return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def from_response(status: int, body: bytes, retry_after: Optional[str] = None) -> AiflowError:
    """The exception for an error answer: its class by status, ``code`` and ``detail`` from the body."""
    problem: Dict[str, Any] = {}
    try:
        parsed = json.loads(body.decode("utf-8")) if body else {}
        if isinstance(parsed, dict):
            problem = parsed
    except (UnicodeDecodeError, ValueError):
        pass
    code = problem.get("code")
    if not isinstance(code, str) or not code:
        code = _default_code(status)
    detail = problem.get("detail")
    if not isinstance(detail, str):
        detail = problem.get("message") if isinstance(problem.get("message"), str) else problem.get("title")
    if not isinstance(detail, str) or not detail:
        detail = body.decode("utf-8", "replace")[:500] if body and not problem else f"HTTP {status}"
    cls = _BY_STATUS.get(status, AiflowError)
    if issubclass(cls, Unavailable):
        return cls(status, code, detail, problem, parse_retry_after(retry_after))
    return cls(status, code, detail, problem)


def _default_code(status: int) -> str:
    return {400: "invalid_argument", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 412: "precondition_failed", 429: "too_many_requests",
            413: "too_large", 415: "unsupported_media_type", 422: "idempotency_key_reused", 500: "internal", 503: "unavailable"}.get(status, "http_error")
