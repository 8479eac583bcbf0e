"""HTTP transport of the client: request building, credentials, retries, error mapping."""
from __future__ import annotations

import base64
import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from .errors import AiflowError, Unavailable, from_response

API_PATH = "/aiflow/v1"
USER_AGENT = "aiflow-python/0.1"

Query = Optional[Mapping[str, Any]]


def api_base(url: str) -> str:
    """The REST base for ``url``: ``http://host:8181`` gets ``/aiflow/v1``, a full base stays as is."""
    url = url.rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.path in ("", "/"):
        return url + API_PATH
    return url


def encode_query(query: Query) -> str:
    """``?a=1&b=x&b=y`` from a mapping; ``None`` values are left out, lists and tuples repeat the parameter."""
    if not query:
        return ""
    pairs: List[Tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for v in values:
            if v is None:
                continue
            pairs.append((name, "true" if v is True else "false" if v is False else str(v)))
    return "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote) if pairs else ""


def segment(name: Union[str, int]) -> str:
    """One URL path segment: every reserved character (``/``, ``%``, space, ...) percent-encoded."""
    return urllib.parse.quote(str(name), safe="")


class _ConnectionFailed(Exception):
    """No answer arrived; ``sent`` says whether the request may have reached the server."""

    def __init__(self, cause: BaseException, sent: bool) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.sent = sent


class Transport:
    """Sends requests to one platform, with its credentials; retries what is safe to repeat."""

    def __init__(self, base_url: str, username: Optional[str] = None, password: Optional[str] = None,
                 token: Optional[str] = None, timeout: float = 30.0, retries: int = 5,
                 backoff: float = 0.25, max_backoff: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = api_base(base_url)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self._auth: Optional[str] = None
        if token:
            self._auth = "Bearer " + token
        elif username is not None:
            pair = f"{username}:{password or ''}".encode("utf-8")
            self._auth = "Basic " + base64.b64encode(pair).decode("ascii")

    # -- requests ---------------------------------------------------------------------------------
    def request(self, method: str, path: str, query: Query = None, body: Any = None,
                headers: Optional[Mapping[str, str]] = None, idempotent: Optional[bool] = None,
                raw_body: Optional[bytes] = None, content_type: str = "application/json",
                timeout: Optional[float] = None, retries: Optional[int] = None) -> Any:
        """Sends one call and returns its parsed JSON answer (``None`` for 204).

        A 503 is retried for every call (the platform stored nothing); a failed connection only
        when the call is ``idempotent`` (GETs by default) or it never reached the server.
        """
        if idempotent is None:
            idempotent = method in ("GET", "HEAD")
        if method == "POST" and not any(h.lower() == "idempotency-key" for h in (headers or {})):
            # the platform keeps the answer of a POST by this key: a re-send of the same call is
            # answered from it instead of running twice (kept in the node's memory only, so calls
            # whose repeat after a restart would do harm are still not re-sent after a lost answer)
            headers = dict(headers or {}, **{"Idempotency-Key": str(uuid.uuid4())})
        data = raw_body
        if data is None and body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        url = self.base + path + encode_query(query)
        attempts = self.retries if retries is None else retries
        attempt = 0
        while True:
            try:
                status, answer, _ = self._send(method, url, data, content_type, headers, timeout)
                return answer
            except Unavailable as e:
                if attempt >= attempts:
                    raise
                self.sleep(self._delay(attempt, e.retry_after))
            except _ConnectionFailed as e:
                if attempt >= attempts or (e.sent and not idempotent):
                    raise Unavailable(0, "unavailable", f"no answer from {self.base}: {e.cause}",
                                      {"cause": str(e.cause)}) from e.cause
                self.sleep(self._delay(attempt, None))
            attempt += 1

    def _delay(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        # exponential with jitter, so restarted clients do not come back in step
        return float(min(self.max_backoff, self.backoff * (2 ** attempt)) * (0.5 + random.random() / 2))

    def _send(self, method: str, url: str, data: Optional[bytes], content_type: str,
              headers: Optional[Mapping[str, str]], timeout: Optional[float]) -> Tuple[int, Any, Mapping[str, str]]:
        response = self._open(method, url, data, content_type, headers, timeout, "application/json")
        try:
            with response:
                payload = response.read()
                return response.status, _parse(payload), response.headers
        except (http.client.HTTPException, ConnectionError, socket.timeout, OSError) as e:
            raise _ConnectionFailed(e, sent=True) from None

    def open_stream(self, path: str, query: Query, headers: Optional[Mapping[str, str]],
                    timeout: float) -> Any:
        """Opens a ``text/event-stream`` answer (the caller reads and closes it); no retries.

        :raises Unavailable: no connection (``status`` 0) or a 503
        :raises AiflowError: any other error answer
        """
        try:
            return self._open("GET", self.base + path + encode_query(query), None, "", headers, timeout,
                              "text/event-stream")
        except _ConnectionFailed as e:
            raise Unavailable(0, "unavailable", f"no answer from {self.base}: {e.cause}",
                              {"cause": str(e.cause)}) from e.cause

    def _open(self, method: str, url: str, data: Optional[bytes], content_type: str,
              headers: Optional[Mapping[str, str]], timeout: Optional[float], accept: str) -> Any:
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", accept)
        request.add_header("User-Agent", USER_AGENT)
        # the platform asks state-changing calls made with Basic credentials for this header (CSRF guard)
        request.add_header("X-Requested-By", "aiflow-python")
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self._auth:
            request.add_header("Authorization", self._auth)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout if timeout is None else timeout)
        except urllib.error.HTTPError as e:
            try:
                payload = e.read()
            except (OSError, http.client.HTTPException):
                payload = b""
            raise from_response(e.code, payload, e.headers.get("Retry-After") if e.headers else None) from None
        except urllib.error.URLError as e:
            raise _ConnectionFailed(e.reason if isinstance(e.reason, BaseException) else e,
                                    sent=not _refused(e.reason)) from None
        except (http.client.HTTPException, ConnectionError, socket.timeout, OSError) as e:
            raise _ConnectionFailed(e, sent=not _refused(e)) from None

    # -- paging -----------------------------------------------------------------------------------
    def pages(self, path: str, query: Dict[str, Any], items: str,
              cursors: Iterable[Tuple[str, str]] = ()) -> Iterable[Dict[str, Any]]:
        """Every item of a paged list, page after page.

        Follows ``nextPageToken`` (sent back as ``pageToken``) when the answer has that member,
        otherwise the older cursor pairs given as ``(answer member, query parameter)``, e.g.
        ``("nextAfterName", "afterName")``. A ``null`` cursor ends the list.
        """
        query = dict(query)
        while True:
            answer = self.request("GET", path, query) or {}
            for item in answer.get(items) or []:
                yield item
            if "nextPageToken" in answer:
                token = answer.get("nextPageToken")
                if not token:
                    return
                query["pageToken"] = token
                continue
            for member, param in cursors:
                if member in answer:
                    nxt = answer.get(member)
                    if nxt is None or nxt == "":
                        return
                    query[param] = nxt
                    break
            else:
                return


def _parse(payload: bytes) -> Any:
    if not payload:
        return None
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise AiflowError(200, "bad_answer", f"the platform's answer is not JSON: {e}") from None


def _refused(reason: Any) -> bool:
    """Whether the connection was refused: the request cannot have reached the server."""
    return isinstance(reason, ConnectionRefusedError) or (
        isinstance(reason, OSError) and getattr(reason, "errno", None) == 111)
