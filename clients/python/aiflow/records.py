"""The platform's records as frozen dataclasses.

Every record is built from the REST API's JSON by :meth:`from_json`: camelCase members become
snake_case fields, members this version of the client does not know are ignored (so a newer
server does not break an older client), missing ones take the field's default. Instants stay the
ISO-8601 strings the server sent (``"2026-11-29T18:11:43.127Z"``).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Type, TypeVar

T = TypeVar("T", bound="Record")

_CAMEL = re.compile(r"_([a-z])")


def _camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


class Record:
    """Base of the records: JSON in and out."""

    @classmethod
    def from_json(cls: Type[T], data: Mapping[str, Any]) -> T:
        """The record from a JSON object of the API; unknown members are ignored."""
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__} expects a JSON object, not {type(data).__name__}")
        kwargs = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            name = _camel(f.name)
            if name in data and data[name] is not None:
                kwargs[f.name] = data[name]
        return cls(**kwargs)

    def to_json(self) -> Dict[str, Any]:
        """The record as the API's JSON object (camelCase members)."""
        return {_camel(f.name): getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Event(Record):
    """A stored event; ``version`` is its place in the log (grows by one per event)."""
    version: int = 0
    namespace: str = "default"
    key: str = ""
    value: str = ""
    type: Optional[str] = None
    sender: Optional[str] = None
    context: Dict[str, str] = field(default_factory=dict)
    create_time: Optional[str] = None
    principal: str = ""


@dataclass(frozen=True)
class Subscription(Record):
    """A named subscription: the server keeps its ``cursor`` (acknowledged up to), ``head`` is the log's end."""
    name: str = ""
    cursor: int = 0
    head: int = 0
    lag: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Project(Record):
    """The record of a namespace."""
    id: int = 0
    name: str = ""
    description: Optional[str] = None
    uri: Optional[str] = None
    properties: Dict[str, str] = field(default_factory=dict)
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Dataset(Record):
    """A registered dataset (``schema`` is a list of ``{"name", "type"}``, ``catalog`` a dict)."""
    id: int = 0
    namespace: str = "default"
    name: str = ""
    uri: str = ""
    format: Optional[str] = None
    schema: List[Dict[str, str]] = field(default_factory=list)
    description: Optional[str] = None
    catalog: Optional[Dict[str, Any]] = None
    properties: Dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Artifact(Record):
    """A registered file that is neither a dataset nor a model (config, vocabulary, report...)."""
    id: int = 0
    namespace: str = "default"
    name: str = ""
    type: Optional[str] = None
    uri: str = ""
    description: Optional[str] = None
    properties: Dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Model(Record):
    """A model: the family its versions belong to."""
    id: int = 0
    namespace: str = "default"
    name: str = ""
    description: Optional[str] = None
    properties: Dict[str, str] = field(default_factory=dict)
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class ModelVersion(Record):
    """One version of a model; ``stage`` is GENERATED, VALIDATED, DEPLOYED, DEPRECATED or DELETED."""
    id: int = 0
    namespace: str = "default"
    model_name: str = ""
    version: int = 0
    uri: str = ""
    type: Optional[str] = None
    description: Optional[str] = None
    stage: str = "GENERATED"
    properties: Dict[str, str] = field(default_factory=dict)
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Metric(Record):
    """A metric definition: ``kind`` DATASET (with ``dataset_name``) or MODEL (with ``model_name``)."""
    id: int = 0
    namespace: str = "default"
    name: str = ""
    kind: str = "MODEL"
    dataset_name: Optional[str] = None
    model_name: Optional[str] = None
    description: Optional[str] = None
    properties: Dict[str, str] = field(default_factory=dict)
    revision: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class MetricValue(Record):
    """One logged value of a metric."""
    id: int = 0
    namespace: str = "default"
    metric_name: str = ""
    key: str = ""
    value: float = 0.0
    timestamp: Optional[str] = None
    step: Optional[int] = None
    model_version: Optional[int] = None
    task_execution_id: Optional[int] = None


@dataclass(frozen=True)
class LineageEdge(Record):
    """A task execution READ or WROTE an entity (``{"kind", "name", "version"}``)."""
    id: int = 0
    namespace: str = "default"
    task_execution_id: int = 0
    direction: str = "READ"
    entity: Dict[str, Any] = field(default_factory=dict)
    create_time: Optional[str] = None


@dataclass(frozen=True)
class Workflow(Record):
    """An uploaded workflow; ``snapshot_id`` is its current snapshot."""
    id: int = 0
    namespace: str = "default"
    name: str = ""
    enabled: bool = True
    snapshot_id: int = 0
    create_time: Optional[str] = None
    update_time: Optional[str] = None


@dataclass(frozen=True)
class Execution(Record):
    """A workflow execution; ``status`` is RUNNING, SUCCESS, FAILED or STOPPED."""
    id: int = 0
    workflow_id: int = 0
    namespace: str = "default"
    workflow_name: str = ""
    snapshot_id: int = 0
    status: str = "RUNNING"
    start_time: Optional[str] = None
    end_time: Optional[str] = None

    @property
    def running(self) -> bool:
        """Whether the execution has not ended yet."""
        return self.status == "RUNNING"


#: Task statuses after which a task execution changes no more.
FINAL_TASK_STATUSES = frozenset({"SUCCESS", "FAILED", "STOPPED"})


@dataclass(frozen=True)
class TaskExecution(Record):
    """One attempt of a task; ``status`` is QUEUED, WAITING, RUNNING, RETRYING, STOPPING, STOPPED, SUCCESS or FAILED."""
    id: int = 0
    workflow_execution_id: int = 0
    namespace: str = "default"
    workflow_name: str = ""
    task_name: str = ""
    attempt: int = 0
    runner_type: str = ""
    status: str = "QUEUED"
    handle: Optional[str] = None
    message: Optional[str] = None
    create_time: Optional[str] = None
    update_time: Optional[str] = None

    @property
    def final(self) -> bool:
        """Whether the task execution has ended (SUCCESS, FAILED or STOPPED)."""
        return self.status in FINAL_TASK_STATUSES


@dataclass(frozen=True)
class LogSlice(Record):
    """A slice of a task's log file: ``text`` from ``offset``; read on from ``next_offset``."""
    task_execution_id: int = 0
    file: str = ""
    offset: int = 0
    next_offset: int = 0
    size: int = 0
    text: str = ""


@dataclass(frozen=True)
class TaskContext:
    """Where a job runs, from the environment the platform's runners give it (see ``Client.from_task_environment``)."""
    namespace: str = "default"
    workflow: Optional[str] = None
    workflow_execution_id: Optional[int] = None
    task: Optional[str] = None
    task_execution_id: Optional[int] = None
    event: Optional[Event] = None
