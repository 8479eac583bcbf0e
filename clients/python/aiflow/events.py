"""Events: publish, list, count, listen; named subscriptions."""
from __future__ import annotations

import http.client
import json
import time
import uuid
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ._http import segment
from .errors import Unavailable
from .records import Event, Subscription

if TYPE_CHECKING:  # pragma: no cover
    from .client import Client

Filter = Union[None, str, Sequence[str]]


class Events:
    """``client.events``: the event log."""

    def __init__(self, client: "Client") -> None:
        self._client = client
        self._http = client._http

    def publish(self, key: str, value: str, namespace: Optional[str] = None, type: Optional[str] = None,
                context: Optional[Mapping[str, str]] = None, sender: Optional[str] = None,
                idempotency_key: Optional[str] = None) -> Event:
        """Publishes one event and returns it as stored, with its ``version``; durable when it returns.

        The call carries an ``Idempotency-Key`` (a fresh uuid4 unless given) and is retried with the
        same key after a 503 or a lost connection, so a retry never stores the event twice.

        :param namespace: the event's namespace; ``None``: the client's (``default``, or the task's)
        :raises InvalidArgument: a key, value or context breaking the event rules
        :raises TooLarge: a value over the platform's ``maxValueBytes``
        :raises Forbidden: the caller may not publish into ``namespace``
        """
        draft = _draft(key, value, namespace or self._client.namespace, type, context, sender)
        answer = self._http.request("POST", "/events", body=draft, idempotent=True,
                                    headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())})
        return Event.from_json(answer)

    def publish_batch(self, drafts: Sequence[Union[Mapping[str, Any], Event]]) -> List[Event]:
        """Publishes several events atomically, in order (all stored or none); returns them as stored.

        Each draft is a dict with ``key`` and ``value`` and optionally ``namespace``, ``type``,
        ``context``, ``sender``, ``idempotency_key`` (or an :class:`Event`). Drafts without an
        idempotency key get a fresh one, so the call is retried safely.
        """
        events = []
        for d in drafts:
            m: Mapping[str, Any] = d.to_json() if isinstance(d, Event) else d
            draft = _draft(m["key"], m["value"], m.get("namespace") or self._client.namespace, m.get("type"),
                           m.get("context"), m.get("sender"))
            draft["idempotencyKey"] = m.get("idempotency_key") or m.get("idempotencyKey") or str(uuid.uuid4())
            events.append(draft)
        answer = self._http.request("POST", "/events/batch", body={"events": events}, idempotent=True)
        return [Event.from_json(e) for e in (answer or {}).get("events", [])]

    def list(self, namespace: Filter = None, key: Filter = None, type: Filter = None, sender: Filter = None,
             after_version: int = 0, limit: int = 100, wait: Optional[int] = None) -> List[Event]:
        """The first ``limit`` (1-10000) events after ``after_version`` that match, oldest first.

        Each filter is a string or a list of them (any of). ``wait`` long-polls up to that many
        seconds (at most 60) when nothing matches yet. Read on with the last event's version.
        """
        return [Event.from_json(e) for e in self._page(namespace, key, type, sender, after_version, limit, wait)[0]]

    def _page(self, namespace: Filter, key: Filter, type: Filter, sender: Filter, after_version: int, limit: int,
              wait: Optional[int]) -> Tuple[List[Dict[str, Any]], int]:
        query = {"namespace": namespace, "key": key, "type": type, "sender": sender,
                 "afterVersion": after_version, "limit": limit, "wait": wait}
        timeout = None if not wait else self._http.timeout + wait
        answer = self._http.request("GET", "/events", query, timeout=timeout) or {}
        events = answer.get("events") or []
        last = answer.get("lastVersion")
        if last is None:
            last = events[-1]["version"] if events else after_version
        return events, int(last)

    def count(self, namespace: Filter = None, key: Filter = None, type: Filter = None, sender: Filter = None,
              after_version: int = 0) -> int:
        """How many events match the filters after ``after_version``."""
        query = {"namespace": namespace, "key": key, "type": type, "sender": sender, "afterVersion": after_version}
        return int((self._http.request("GET", "/events/count", query) or {}).get("count", 0))

    def latest_version(self, namespace: Optional[str] = None, key: Optional[str] = None) -> int:
        """The log's latest version, or with ``namespace`` and ``key`` the latest of that key (0: none)."""
        answer = self._http.request("GET", "/events/latest", {"namespace": namespace, "key": key}) or {}
        return int(answer.get("version") or 0)

    def listen(self, namespace: Filter = None, key: Filter = None, type: Filter = None,
               after_version: Optional[int] = None, wait: int = 30, sender: Filter = None,
               batch: int = 100, sse: bool = False) -> Iterator[Event]:
        """Yields matching events as they are published, forever (stop by leaving the loop).

        Long-polls ``GET /events`` (``wait`` seconds a call). Starts after ``after_version``
        (``None``: after the latest version now). When the platform is down or restarting, it
        waits with backoff and resumes after the last version it yielded, so nothing is skipped
        or repeated across a restart.

        With ``sse=True`` it reads the Server-Sent Events stream ``GET /events/stream`` instead
        (one open connection; ``wait`` is then the read timeout beyond the server's heartbeats),
        reconnecting with ``Last-Event-ID`` set to the last version yielded.
        """
        after = self.latest_version() if after_version is None else after_version
        if sse:
            yield from self._listen_sse({"namespace": namespace, "key": key, "type": type, "sender": sender},
                                        after, wait)
            return
        failures = 0
        while True:
            try:
                events, last = self._page(namespace, key, type, sender, after, batch, wait)
                failures = 0
            except Unavailable as e:
                # the platform is away (connection lost, restarting, 503): come back to the same version
                failures += 1
                time.sleep(e.retry_after if e.retry_after is not None
                           else min(self._http.max_backoff, self._http.backoff * (2 ** min(failures, 8))))
                continue
            for data in events:
                event = Event.from_json(data)
                after = max(after, event.version)
                yield event
            after = max(after, last)


    def _listen_sse(self, query: Dict[str, Any], after: int, wait: int) -> Iterator[Event]:
        failures = 0
        while True:
            try:
                stream = self._http.open_stream("/events/stream", query, {"Last-Event-ID": str(after)},
                                                timeout=self._http.timeout + wait)
            except Unavailable as e:
                failures += 1
                time.sleep(e.retry_after if e.retry_after is not None
                           else min(self._http.max_backoff, self._http.backoff * (2 ** min(failures, 8))))
                continue
            failures = 0
            try:
                for data in _server_sent_events(stream):
                    event = Event.from_json(json.loads(data))
                    if event.version > after:  # a reconnect never yields an event twice
                        after = event.version
                        yield event
            except (OSError, http.client.HTTPException, ValueError):
                pass  # the connection dropped (or a broken frame): reconnect after the last version
            finally:
                stream.close()


def _server_sent_events(stream: Any) -> Iterator[str]:
    """The ``data`` of each event of a ``text/event-stream`` (comments and heartbeats skipped)."""
    data: List[str] = []
    for raw in stream:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
            data = []
        elif line.startswith("data:"):
            data.append(line[5:][1:] if line[5:].startswith(" ") else line[5:])
        # "id:", "event:", "retry:" and ":" comments need nothing: the version is in the data


class Subscriptions:
    """``client.subscriptions``: named subscriptions, whose cursor the server keeps."""

    def __init__(self, client: "Client") -> None:
        self._http = client._http

    def create(self, name: str, after_version: Optional[int] = None) -> Subscription:
        """Creates the subscription (from ``after_version``; ``None``: from now), or returns the existing one unchanged."""
        body: Dict[str, Any] = {"name": name}
        if after_version is not None:
            body["afterVersion"] = after_version
        return Subscription.from_json(self._http.request("POST", "/subscriptions", body=body, idempotent=True))

    def get(self, name: str) -> Subscription:
        """One subscription with its ``cursor``, ``head`` and ``lag``."""
        return Subscription.from_json(self._http.request("GET", "/subscriptions/" + segment(name)))

    def list(self) -> List[Subscription]:
        """Every subscription."""
        answer = self._http.request("GET", "/subscriptions") or {}
        return [Subscription.from_json(s) for s in answer.get("subscriptions", [])]

    def events(self, name: str, limit: int = 100, wait: Optional[int] = None) -> List[Event]:
        """The events after the subscription's cursor (long-polls up to ``wait`` seconds); acknowledge them with :meth:`ack`."""
        timeout = None if not wait else self._http.timeout + wait
        answer = self._http.request("GET", f"/subscriptions/{segment(name)}/events",
                                    {"limit": limit, "wait": wait}, timeout=timeout) or {}
        return [Event.from_json(e) for e in answer.get("events", [])]

    def ack(self, name: str, version: int) -> Subscription:
        """Marks everything up to ``version`` processed (the cursor only moves forward)."""
        return Subscription.from_json(self._http.request("POST", f"/subscriptions/{segment(name)}/ack",
                                                         body={"version": version}, idempotent=True))

    def delete(self, name: str) -> None:
        """Deletes the subscription."""
        self._http.request("DELETE", "/subscriptions/" + segment(name))


def _draft(key: str, value: str, namespace: str, type: Optional[str], context: Optional[Mapping[str, str]],
           sender: Optional[str]) -> Dict[str, Any]:
    if not isinstance(key, str) or not isinstance(value, str):
        raise TypeError("an event's key and value are text (str)")
    draft: Dict[str, Any] = {"namespace": namespace, "key": key, "value": value}
    if type is not None:
        draft["type"] = type
    if sender is not None:
        draft["sender"] = sender
    if context:
        draft["context"] = dict(context)
    return draft


__all__ = ["Events", "Subscriptions"]
