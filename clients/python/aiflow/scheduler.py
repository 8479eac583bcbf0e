"""Workflows, executions and tasks: upload, start, stop, status, logs."""
from __future__ import annotations

import os
import time
from typing import Any, Dict, Iterator, List, Optional, Union

from ._area import _Area
from ._http import segment
from .records import Execution, LogSlice, TaskExecution, Workflow


class Workflows(_Area):
    """``client.workflows``: workflow files and their executions."""

    def upload(self, path_or_text: Union[str, "os.PathLike[str]"], namespace: Optional[str] = None,
               source: Optional[str] = None) -> Workflow:
        """Uploads a workflow file (JSON or YAML): a new workflow, or a new snapshot of an existing one.

        ``path_or_text`` is a file's path, or the document itself. The namespace is the one the file
        names (``namespace`` is accepted for symmetry and not sent). YAML is told by a ``.yaml``/``.yml``
        name, or by text that does not start with ``{``.
        """
        text: str
        if isinstance(path_or_text, os.PathLike) or (isinstance(path_or_text, str) and "\n" not in path_or_text
                                                      and os.path.isfile(path_or_text)):
            path = os.fspath(path_or_text)
            with open(path, "r", encoding="utf-8") as f:
                text = f.read()
            source = source or os.path.basename(path)
            yaml = path.lower().endswith((".yaml", ".yml"))
        else:
            text = str(path_or_text)
            yaml = not text.lstrip().startswith("{")
            source = source or ("workflow.yaml" if yaml else "workflow.json")
        answer = self._http.request("POST", "/workflows", {"source": source}, raw_body=text.encode("utf-8"),
                                    content_type="application/yaml" if yaml else "application/json")
        return Workflow.from_json(answer)

    def get(self, name: str, namespace: Optional[str] = None) -> Workflow:
        """One workflow."""
        return Workflow.from_json(self._http.request("GET", "/workflows/" + segment(name), {"namespace": self._ns(namespace)}))

    def list(self, namespace: Optional[str] = None) -> List[Workflow]:
        """The workflows of ``namespace`` (``None``: of every namespace)."""
        answer = self._http.request("GET", "/workflows", {"namespace": namespace}) or {}
        return [Workflow.from_json(w) for w in answer.get("workflows", [])]

    def start(self, name: str, namespace: Optional[str] = None) -> Execution:
        """Starts an execution of the current snapshot (sent once: a lost answer never starts a second one)."""
        return Execution.from_json(self._http.request("POST", f"/workflows/{segment(name)}/executions",
                                                      {"namespace": self._ns(namespace)}))

    def enable(self, name: str, namespace: Optional[str] = None) -> Workflow:
        """Enables the workflow."""
        return Workflow.from_json(self._http.request("POST", f"/workflows/{segment(name)}/enable",
                                                     {"namespace": self._ns(namespace)}, idempotent=True))

    def disable(self, name: str, namespace: Optional[str] = None) -> Workflow:
        """Disables the workflow: it ignores events, its schedules do not fire and it cannot be started."""
        return Workflow.from_json(self._http.request("POST", f"/workflows/{segment(name)}/disable",
                                                     {"namespace": self._ns(namespace)}, idempotent=True))

    def delete(self, name: str, namespace: Optional[str] = None) -> None:
        """Deletes the workflow (:class:`Conflict` while an execution of it runs)."""
        self._http.request("DELETE", "/workflows/" + segment(name), {"namespace": self._ns(namespace)})


class Executions(_Area):
    """``client.executions``: workflow executions."""

    def get(self, id: int) -> Execution:
        """One execution."""
        return Execution.from_json(self._http.request("GET", f"/executions/{int(id)}"))

    def list(self, workflow: Optional[str] = None, namespace: Optional[str] = None, limit: int = 100) -> List[Execution]:
        """Executions newest first: of one ``workflow`` (in ``namespace``), or of every workflow."""
        query = {"workflow": workflow, "namespace": self._ns(namespace) if workflow else namespace, "limit": limit}
        answer = self._http.request("GET", "/executions", query) or {}
        return [Execution.from_json(e) for e in answer.get("executions", [])]

    def stop(self, id: int) -> Execution:
        """Stops the execution and its running tasks; an ended one is returned unchanged."""
        return Execution.from_json(self._http.request("POST", f"/executions/{int(id)}/stop", idempotent=True))

    def wait(self, id: int, timeout: float = 600, poll: float = 0.5) -> Execution:
        """Polls until the execution is no longer RUNNING and returns it; :class:`TimeoutError` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            execution = self.get(id)
            if not execution.running:
                return execution
            if time.monotonic() >= deadline:
                raise TimeoutError(f"workflow execution {id} still RUNNING after {timeout} s")
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))

    def start_task(self, id: int, task: str) -> TaskExecution:
        """Starts a task of the execution by hand."""
        return TaskExecution.from_json(self._http.request("POST", f"/executions/{int(id)}/tasks/{segment(task)}/start"))

    def restart_task(self, id: int, task: str) -> TaskExecution:
        """Stops the task's running attempt, if any, and starts a new one."""
        return TaskExecution.from_json(self._http.request("POST", f"/executions/{int(id)}/tasks/{segment(task)}/restart"))


class Tasks(_Area):
    """``client.tasks``: task executions and their logs."""

    def list(self, execution_id: Optional[int] = None, workflow: Optional[str] = None, namespace: Optional[str] = None,
             status: Optional[str] = None, limit: int = 100) -> List[TaskExecution]:
        """Task executions newest first, filtered."""
        query = {"executionId": execution_id, "workflow": workflow, "namespace": namespace,
                 "status": status.upper() if status else None, "limit": limit}
        answer = self._http.request("GET", "/tasks", query) or {}
        return [TaskExecution.from_json(t) for t in answer.get("tasks", [])]

    def get(self, id: int) -> TaskExecution:
        """One task execution."""
        return TaskExecution.from_json(self._http.request("GET", f"/tasks/{int(id)}"))

    def stop(self, id: int) -> TaskExecution:
        """Stops the task execution (STOPPING or STOPPED)."""
        return TaskExecution.from_json(self._http.request("POST", f"/tasks/{int(id)}/stop", idempotent=True))

    def history(self, id: int) -> List[Dict[str, Any]]:
        """Its status changes oldest first: ``{"from", "to", "message", "time"}``."""
        return list((self._http.request("GET", f"/tasks/{int(id)}/history") or {}).get("changes", []))

    def log_files(self, id: int) -> List[str]:
        """The names of its log files (``stdout.log``, ``stderr.log``, rotated ``.1``...)."""
        return list((self._http.request("GET", f"/tasks/{int(id)}/logs") or {}).get("files", []))

    def log(self, id: int, file: str = "stdout", offset: int = 0, max_bytes: int = 65536) -> LogSlice:
        """A slice of a log file from ``offset`` (negative: from the end); ``file`` ``stdout`` means ``stdout.log``."""
        return LogSlice.from_json(self._http.request("GET", f"/tasks/{int(id)}/logs/{segment(_log_file(file))}",
                                                     {"offset": offset, "maxBytes": max_bytes}))

    def follow(self, id: int, file: str = "stdout", poll: float = 0.5) -> Iterator[str]:
        """Yields the log's text as it grows until the task execution has ended and everything is read.

        A log that became shorter (rotated by copy-truncate) is read on from its start.
        """
        offset = 0
        while True:
            final = self.get(id).final  # asked before reading, so the last read sees everything written
            while True:
                part = self.log(id, file, offset)
                if part.size < offset:
                    offset = 0
                    continue
                if part.text:
                    yield part.text
                offset = part.next_offset
                if offset >= part.size:
                    break
            if final:
                return
            time.sleep(poll)


def _log_file(file: str) -> str:
    return file + ".log" if file in ("stdout", "stderr") else file
