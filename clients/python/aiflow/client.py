"""The entry point: :class:`Client`."""
from __future__ import annotations

import json
import os
import time
from typing import Any, Dict, Mapping, Optional

from ._http import Transport
from .errors import Unavailable
from .events import Events, Subscriptions
from .metadata import Artifacts, Datasets, Lineage, Metrics, Models
from .records import Event, TaskContext
from .scheduler import Executions, Tasks, Workflows


class Client:
    """A client of one AI Flow platform.

    >>> c = Client("http://127.0.0.1:8181", username="admin", password="...")  # doctest: +SKIP
    >>> c.events.publish("model.deployed", "v3").version                        # doctest: +SKIP

    :param base_url: ``http://host:8181`` (``/aiflow/v1`` is added) or the full REST base
    :param username: HTTP Basic user (with ``password``); or
    :param token: an API token (or a task's ``$AIFLOW_TOKEN``), sent as ``Authorization: Bearer``
    :param timeout: seconds to wait for an answer (long-polls add their ``wait``)
    :param namespace: the namespace of calls that name none (``default``; a task's own namespace
        with :meth:`from_task_environment`)
    :param retries: how many times a 503 or a lost connection is retried (with backoff, or the
        server's ``Retry-After``) where a retry is safe
    """

    def __init__(self, base_url: str = "http://127.0.0.1:8181", username: Optional[str] = None,
                 password: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0,
                 namespace: str = "default", retries: int = 5, backoff: float = 0.25, max_backoff: float = 10.0,
                 task: Optional[TaskContext] = None) -> None:
        self._http = Transport(base_url, username, password, token, timeout, retries, backoff, max_backoff)
        self.namespace = namespace
        #: where the job runs, when the client came from :meth:`from_task_environment`; else ``None``
        self.task: Optional[TaskContext] = task
        self.events = Events(self)
        self.subscriptions = Subscriptions(self)
        self.datasets = Datasets(self)
        self.artifacts = Artifacts(self)
        self.models = Models(self)
        self.metrics = Metrics(self)
        self.lineage = Lineage(self)
        self.workflows = Workflows(self)
        self.executions = Executions(self)
        self.tasks = Tasks(self)

    @property
    def base_url(self) -> str:
        """The REST base the client calls, e.g. ``http://127.0.0.1:8181/aiflow/v1``."""
        return self._http.base

    @classmethod
    def from_task_environment(cls, environ: Optional[Mapping[str, str]] = None, timeout: float = 30.0,
                              **kwargs: object) -> "Client":
        """A client for a job the platform started, from the environment its runner gave it.

        Reads ``AIFLOW_URL`` (required), ``AIFLOW_TOKEN``, ``AIFLOW_NAMESPACE`` (the client's
        default namespace: the task's token may only write there), ``AIFLOW_WORKFLOW``,
        ``AIFLOW_WORKFLOW_EXECUTION_ID``, ``AIFLOW_TASK``, ``AIFLOW_TASK_EXECUTION_ID`` and the
        triggering event (``AIFLOW_EVENT_FILE``, or ``AIFLOW_EVENT_VERSION``/``_NAMESPACE``/``_KEY``/``_TYPE``)
        into :attr:`task`.

        :raises RuntimeError: ``AIFLOW_URL`` is not set (not started by the platform)
        """
        env = os.environ if environ is None else environ
        url = env.get("AIFLOW_URL")
        if not url:
            raise RuntimeError("AIFLOW_URL is not set: this process was not started by an AI Flow runner "
                               "(set AIFLOW_URL and AIFLOW_TOKEN to run it by hand)")
        namespace = env.get("AIFLOW_NAMESPACE") or "default"
        task = TaskContext(namespace=namespace, workflow=env.get("AIFLOW_WORKFLOW") or None,
                           workflow_execution_id=_int(env.get("AIFLOW_WORKFLOW_EXECUTION_ID")),
                           task=env.get("AIFLOW_TASK") or None,
                           task_execution_id=_int(env.get("AIFLOW_TASK_EXECUTION_ID")),
                           event=_event(env))
        return cls(url, token=env.get("AIFLOW_TOKEN") or None, timeout=timeout, namespace=namespace, task=task,
                   **kwargs)  # type: ignore[arg-type]

    def health(self) -> str:
        """``"UP"`` while the platform answers (no credentials needed)."""
        return str((self._http.request("GET", "/health") or {}).get("status"))

    def await_ready(self, timeout: float = 120.0, poll: float = 0.2) -> None:
        """Waits until ``/health/ready`` answers 200 (after a start), polling every ``poll`` seconds.

        Connection refused and 503 are waited out; :class:`Unavailable` after ``timeout`` seconds,
        with the last answer's detail and ``body["missing"]``.
        """
        deadline = time.monotonic() + timeout
        last: Optional[Unavailable] = None
        while True:
            try:
                self._http.request("GET", "/health/ready", retries=0)
                return
            except Unavailable as e:
                last = e
            if time.monotonic() >= deadline:
                raise Unavailable(last.status if last else 0, "unavailable",
                                  f"the platform is not ready after {timeout} s: {last.detail if last else ''}",
                                  last.body if last else None)
            time.sleep(poll)

    def whoami(self) -> Dict[str, Any]:
        """Who the platform takes the caller for, with its roles."""
        return dict(self._http.request("GET", "/whoami") or {})

    def __repr__(self) -> str:
        return f"aiflow.Client({self.base_url!r}, namespace={self.namespace!r})"


def _int(text: Optional[str]) -> Optional[int]:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _event(env: Mapping[str, str]) -> Optional[Event]:
    """The event that started the task: the whole of ``AIFLOW_EVENT_FILE`` when readable, else the variables."""
    path = env.get("AIFLOW_EVENT_FILE")
    if path:
        try:
            with open(path, "r", encoding="utf-8") as f:
                return Event.from_json(json.load(f))
        except (OSError, ValueError, TypeError):
            pass
    version = _int(env.get("AIFLOW_EVENT_VERSION"))
    if version is None:
        return None
    return Event(version=version, namespace=env.get("AIFLOW_EVENT_NAMESPACE") or "default",
                 key=env.get("AIFLOW_EVENT_KEY") or "", type=env.get("AIFLOW_EVENT_TYPE") or None)
