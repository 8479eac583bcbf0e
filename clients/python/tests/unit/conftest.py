"""A stdlib http.server test double of the platform: scripted answers, recorded requests."""
from __future__ import annotations

import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

Answer = Tuple[int, Any, Dict[str, str]]


class Recorded:
    """One request the double received."""

    def __init__(self, method: str, path: str, query: Dict[str, List[str]], headers: Dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def q(self, name: str) -> Optional[str]:
        values = self.query.get(name)
        return values[0] if values else None


class FakePlatform:
    """Routes ``(METHOD, path)`` to handlers; a handler gets the :class:`Recorded` request and returns
    ``(status, json_or_bytes, headers)``, or the string ``"drop"`` to close the connection unanswered."""

    def __init__(self, port: int = 0) -> None:
        self.requests: List[Recorded] = []
        self.routes: Dict[Tuple[str, str], Callable[[Recorded], Any]] = {}
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Recorded(self.command, urllib.parse.unquote(parts.path), urllib.parse.parse_qs(parts.query),
                               {k.lower(): v for k, v in self.headers.items()}, body)
                platform.requests.append(req)
                route = platform.routes.get((self.command, req.path))
                if route is None:
                    answer: Any = (404, {"status": 404, "code": "not_found", "message": "no such resource"}, {})
                else:
                    answer = route(req)
                if answer == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, payload, headers = answer
                data = payload if isinstance(payload, bytes) else b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                ctype = headers.pop("Content-Type", "application/problem+json" if status >= 400 and
                                    isinstance(payload, dict) and "detail" in payload else "application/json")
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, handler: Callable[[Recorded], Any]) -> None:
        self.routes[(method, "/aiflow/v1" + path)] = handler

    def answer(self, method: str, path: str, *answers: Any) -> None:
        """Answers in turn (the last one repeats)."""
        queue = list(answers)

        def handler(req: Recorded) -> Any:
            a = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(a, tuple) and len(a) == 2:
                return (a[0], a[1], {})
            if isinstance(a, tuple):
                return (a[0], a[1], dict(a[2]))
            return a
        self.route(method, path, handler)

    def calls(self, method: str, path: str) -> List[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == "/aiflow/v1" + path]

    def close(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def platform():
    p = FakePlatform()
    yield p
    p.close()


@pytest.fixture
def client(platform):
    import aiflow
    return aiflow.Client(platform.url, username="admin", password="s3cret", timeout=5, backoff=0.01, max_backoff=0.05)


def event_json(version: int, key: str = "k", value: str = "v", namespace: str = "default") -> Dict[str, Any]:
    return {"version": version, "namespace": namespace, "key": key, "value": value, "type": None, "sender": None,
            "context": {}, "createTime": "2026-12-07T10:00:00Z", "principal": "admin", "futureField": 1}
