"""Metadata: datasets, artifacts, models and their versions, metrics, lineage."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from ._area import _Area
from ._http import segment
from .errors import NotFound
from .records import Artifact, Dataset, LineageEdge, Metric, MetricValue, Model, ModelVersion


#: The platform takes at most this many metric values a call; :meth:`Metrics.log` splits larger lists.
MAX_METRIC_VALUES = 10000
_NAME_CURSOR = (("nextAfterName", "afterName"),)


def _put(body: Dict[str, Any], **members: Any) -> Dict[str, Any]:
    """``body`` with the members that are not ``None``."""
    body.update({k: v for k, v in members.items() if v is not None})
    return body


class Datasets(_Area):
    """``client.datasets``: registered datasets (soft-deleted, revisioned)."""

    def create(self, name: str, uri: str, namespace: Optional[str] = None, format: Optional[str] = None,
               description: Optional[str] = None, properties: Optional[Mapping[str, str]] = None,
               schema: Optional[Sequence[Mapping[str, str]]] = None,
               catalog: Optional[Mapping[str, Any]] = None) -> Dataset:
        """Registers a dataset; :class:`Conflict` if the name is taken (a deleted one counts)."""
        body = _put({"name": name, "uri": uri}, format=format, description=description,
                    properties=dict(properties) if properties else None,
                    schema=[dict(c) for c in schema] if schema else None, catalog=dict(catalog) if catalog else None)
        # a named record: a re-send is answered from the kept answer (or 409 after a restart)
        return Dataset.from_json(self._http.request("POST", "/datasets", {"namespace": self._ns(namespace)}, body,
                                                    idempotent=True))

    def get(self, name: str, namespace: Optional[str] = None) -> Dataset:
        """One dataset, also a deleted one."""
        return Dataset.from_json(self._http.request("GET", "/datasets/" + segment(name), {"namespace": self._ns(namespace)}))

    def list(self, namespace: Optional[str] = None, name_prefix: Optional[str] = None, format: Optional[str] = None,
             include_deleted: bool = False) -> List[Dataset]:
        """Every dataset of the namespace by name (all pages)."""
        query = {"namespace": self._ns(namespace), "namePrefix": name_prefix, "format": format,
                 "includeDeleted": True if include_deleted else None}
        return [Dataset.from_json(d) for d in self._http.pages("/datasets", query, "datasets", _NAME_CURSOR)]

    def update(self, name: str, revision: int, uri: str, namespace: Optional[str] = None, format: Optional[str] = None,
               description: Optional[str] = None, properties: Optional[Mapping[str, str]] = None,
               schema: Optional[Sequence[Mapping[str, str]]] = None,
               catalog: Optional[Mapping[str, Any]] = None) -> Dataset:
        """Replaces everything but the name (omitted fields become empty); :class:`Conflict` if ``revision`` is stale."""
        dataset = _put({"name": name, "uri": uri}, format=format, description=description,
                       properties=dict(properties) if properties else None,
                       schema=[dict(c) for c in schema] if schema else None, catalog=dict(catalog) if catalog else None)
        return Dataset.from_json(self._http.request("PUT", "/datasets/" + segment(name), {"namespace": self._ns(namespace)},
                                                    {"revision": revision, "dataset": dataset}))

    def delete(self, name: str, revision: int, namespace: Optional[str] = None) -> Dataset:
        """Soft-deletes the dataset at ``revision``; returns it with ``deleted=True``."""
        return Dataset.from_json(self._http.request("DELETE", "/datasets/" + segment(name),
                                                    {"namespace": self._ns(namespace), "revision": revision}))


class Artifacts(_Area):
    """``client.artifacts``: files that are neither datasets nor models (configs, reports...)."""

    def create(self, name: str, uri: str, namespace: Optional[str] = None, type: Optional[str] = None,
               description: Optional[str] = None, properties: Optional[Mapping[str, str]] = None) -> Artifact:
        """Registers an artifact; :class:`Conflict` if the name is taken."""
        body = _put({"name": name, "uri": uri}, type=type, description=description,
                    properties=dict(properties) if properties else None)
        # a named record: a re-send is answered from the kept answer (or 409 after a restart)
        return Artifact.from_json(self._http.request("POST", "/artifacts", {"namespace": self._ns(namespace)}, body,
                                                     idempotent=True))

    def get(self, name: str, namespace: Optional[str] = None) -> Artifact:
        """One artifact, also a deleted one."""
        return Artifact.from_json(self._http.request("GET", "/artifacts/" + segment(name), {"namespace": self._ns(namespace)}))

    def list(self, namespace: Optional[str] = None, name_prefix: Optional[str] = None, type: Optional[str] = None,
             include_deleted: bool = False) -> List[Artifact]:
        """Every artifact of the namespace by name (all pages)."""
        query = {"namespace": self._ns(namespace), "namePrefix": name_prefix, "type": type,
                 "includeDeleted": True if include_deleted else None}
        return [Artifact.from_json(a) for a in self._http.pages("/artifacts", query, "artifacts", _NAME_CURSOR)]

    def update(self, name: str, revision: int, uri: str, namespace: Optional[str] = None, type: Optional[str] = None,
               description: Optional[str] = None, properties: Optional[Mapping[str, str]] = None) -> Artifact:
        """Replaces everything but the name; :class:`Conflict` if ``revision`` is stale."""
        artifact = _put({"name": name, "uri": uri}, type=type, description=description,
                        properties=dict(properties) if properties else None)
        return Artifact.from_json(self._http.request("PUT", "/artifacts/" + segment(name), {"namespace": self._ns(namespace)},
                                                     {"revision": revision, "artifact": artifact}))

    def delete(self, name: str, revision: int, namespace: Optional[str] = None) -> Artifact:
        """Soft-deletes the artifact at ``revision``."""
        return Artifact.from_json(self._http.request("DELETE", "/artifacts/" + segment(name),
                                                     {"namespace": self._ns(namespace), "revision": revision}))


class Models(_Area):
    """``client.models``: models, their versions and stages."""

    def create(self, name: str, namespace: Optional[str] = None, description: Optional[str] = None,
               properties: Optional[Mapping[str, str]] = None) -> Model:
        """Creates a model; :class:`Conflict` if it exists."""
        body = _put({"namespace": self._ns(namespace), "name": name}, description=description,
                    properties=dict(properties) if properties else None)
        # a named record: a re-send is answered from the kept answer (or 409 after a restart)
        return Model.from_json(self._http.request("POST", "/models", {"namespace": self._ns(namespace)}, body,
                                                  idempotent=True))

    def get(self, name: str, namespace: Optional[str] = None) -> Model:
        """One model."""
        return Model.from_json(self._http.request("GET", "/models/" + segment(name), {"namespace": self._ns(namespace)}))

    def get_or_create(self, name: str, namespace: Optional[str] = None, description: Optional[str] = None,
                      properties: Optional[Mapping[str, str]] = None) -> Model:
        """The model, created first if it does not exist (a job that runs again finds it)."""
        try:
            return self.get(name, namespace)
        except NotFound:
            pass
        try:
            return self.create(name, namespace, description, properties)
        except Exception:
            # another job may have created it in between
            return self.get(name, namespace)

    def list(self, namespace: Optional[str] = None, name_prefix: Optional[str] = None) -> List[Model]:
        """Every model of the namespace by name (all pages)."""
        query = {"namespace": self._ns(namespace), "namePrefix": name_prefix}
        return [Model.from_json(m) for m in self._http.pages("/models", query, "models", _NAME_CURSOR)]

    def register_version(self, model: str, uri: str, namespace: Optional[str] = None, stage: str = "GENERATED",
                         metrics: Optional[Mapping[str, float]] = None, properties: Optional[Mapping[str, str]] = None,
                         type: Optional[str] = None, description: Optional[str] = None) -> ModelVersion:
        """Registers the model's next version (stage GENERATED; emits ``MODEL_GENERATED``).

        ``stage`` other than GENERATED then moves it there (VALIDATED; DEPLOYED goes through VALIDATED).
        ``metrics`` (``{"auc": 0.91}``) are logged for the new version to the MODEL metric named
        like the model, which is created if missing.
        """
        ns = self._ns(namespace)
        body = _put({"uri": uri}, type=type, description=description, properties=dict(properties) if properties else None)
        version = ModelVersion.from_json(self._http.request("POST", f"/models/{segment(model)}/versions", {"namespace": ns}, body))
        if metrics:
            metrics_area = Metrics(self._client)
            metrics_area.get_or_create(model, "MODEL", namespace=ns, model=model)
            metrics_area.log(model, [{"key": k, "value": float(v), "modelVersion": version.version} for k, v in metrics.items()],
                             namespace=ns)
        stage = stage.upper()
        if stage != "GENERATED":
            if stage == "DEPLOYED":
                version = self.set_stage(model, version.version, "VALIDATED", namespace=ns)
            version = self.set_stage(model, version.version, stage, namespace=ns)
        return version

    def set_stage(self, model: str, version: int, stage: str, namespace: Optional[str] = None,
                  revision: Optional[int] = None, mode: Optional[str] = None) -> ModelVersion:
        """Moves a version to ``stage`` (GENERATED, VALIDATED, DEPLOYED, DEPRECATED, DELETED) by the transition table.

        Promoting to DEPLOYED deprecates the deployed one (``mode`` ``DEPRECATE_PREVIOUS``, the
        default) or refuses with :class:`Conflict` (``REFUSE_IF_DEPLOYED``). A forbidden move is a
        :class:`Conflict`; asking for the current stage changes nothing.
        """
        body = _put({"stage": stage.upper()}, revision=revision, mode=mode)
        return ModelVersion.from_json(self._http.request(
            "POST", f"/models/{segment(model)}/versions/{int(version)}/stage", {"namespace": self._ns(namespace)}, body,
            idempotent=revision is None))

    def versions(self, model: str, namespace: Optional[str] = None, stage: Optional[str] = None) -> List[ModelVersion]:
        """Every version of the model ascending (all pages), optionally of one ``stage``."""
        query: Dict[str, Any] = {"namespace": self._ns(namespace), "stage": stage.upper() if stage else None,
                                 "afterVersion": 0, "limit": 1000}
        out: List[ModelVersion] = []
        while True:
            answer = self._http.request("GET", f"/models/{segment(model)}/versions", query) or {}
            page = [ModelVersion.from_json(v) for v in answer.get("versions", [])]
            out.extend(page)
            token = answer.get("nextPageToken")
            if "nextPageToken" in answer:
                if not token:
                    return out
                query.pop("afterVersion", None)
                query["pageToken"] = token
            elif len(page) < query["limit"]:
                return out
            else:
                query["afterVersion"] = page[-1].version

    def get_version(self, model: str, version: int, namespace: Optional[str] = None) -> ModelVersion:
        """One version."""
        return ModelVersion.from_json(self._http.request("GET", f"/models/{segment(model)}/versions/{int(version)}",
                                                         {"namespace": self._ns(namespace)}))

    def deployed_version(self, model: str, namespace: Optional[str] = None) -> Optional[ModelVersion]:
        """The DEPLOYED version, or ``None`` if none is (the model must exist: :class:`NotFound` otherwise)."""
        try:
            return ModelVersion.from_json(self._http.request("GET", f"/models/{segment(model)}/deployed",
                                                             {"namespace": self._ns(namespace)}))
        except NotFound as e:
            if "does not exist" in e.detail and "has no" not in e.detail:
                raise
            return None

    def latest_version(self, model: str, stage: Optional[str] = None, namespace: Optional[str] = None) -> Optional[ModelVersion]:
        """The highest version (of ``stage``, if given), or ``None``."""
        versions = self.versions(model, namespace=namespace, stage=stage)
        return versions[-1] if versions else None


class Metrics(_Area):
    """``client.metrics``: metric definitions and their values."""

    def create(self, name: str, kind: str, namespace: Optional[str] = None, dataset: Optional[str] = None,
               model: Optional[str] = None, description: Optional[str] = None,
               properties: Optional[Mapping[str, str]] = None) -> Metric:
        """Defines a metric: ``kind`` DATASET with ``dataset``, or MODEL with ``model`` (which must exist)."""
        body = _put({"name": name, "kind": kind.upper()}, datasetName=dataset, modelName=model,
                    description=description, properties=dict(properties) if properties else None)
        # a named record: a re-send is answered from the kept answer (or 409 after a restart)
        return Metric.from_json(self._http.request("POST", "/metrics", {"namespace": self._ns(namespace)}, body,
                                                   idempotent=True))

    def get(self, name: str, namespace: Optional[str] = None) -> Metric:
        """One metric definition."""
        return Metric.from_json(self._http.request("GET", "/metrics/" + segment(name), {"namespace": self._ns(namespace)}))

    def get_or_create(self, name: str, kind: str, namespace: Optional[str] = None, dataset: Optional[str] = None,
                      model: Optional[str] = None) -> Metric:
        """The metric, defined first if it does not exist."""
        try:
            return self.get(name, namespace)
        except NotFound:
            pass
        try:
            return self.create(name, kind, namespace, dataset, model)
        except Exception:
            return self.get(name, namespace)

    def list(self, namespace: Optional[str] = None, name_prefix: Optional[str] = None, kind: Optional[str] = None) -> List[Metric]:
        """Every metric of the namespace by name (all pages)."""
        query = {"namespace": self._ns(namespace), "namePrefix": name_prefix, "kind": kind.upper() if kind else None}
        return [Metric.from_json(m) for m in self._http.pages("/metrics", query, "metrics", _NAME_CURSOR)]

    def log(self, name: str, values: Iterable[Mapping[str, Any]], namespace: Optional[str] = None) -> int:
        """Logs values (``{"key", "value", "modelVersion"?, "step"?, "timestamp"?, "taskExecutionId"?}``; snake_case
        names work too) in calls of at most 10,000, each stored whole or not at all; returns how many were logged."""
        batch: List[Dict[str, Any]] = []
        logged = 0
        for v in values:
            batch.append(_metric_value(v))
            if len(batch) == MAX_METRIC_VALUES:
                logged += self._log(name, batch, namespace)
                batch = []
        if batch:
            logged += self._log(name, batch, namespace)
        return logged

    def _log(self, name: str, batch: List[Dict[str, Any]], namespace: Optional[str]) -> int:
        answer = self._http.request("POST", f"/metrics/{segment(name)}/values", {"namespace": self._ns(namespace)},
                                    {"values": batch})
        return int((answer or {}).get("logged", len(batch)))

    def values(self, name: str, namespace: Optional[str] = None, key: Optional[str] = None,
               model_version: Optional[int] = None, task_execution_id: Optional[int] = None,
               since: Optional[str] = None, until: Optional[str] = None) -> List[MetricValue]:
        """Every value of the metric in logging order (all pages), filtered by ``key``, ``model_version``, ... ."""
        query = {"namespace": self._ns(namespace), "key": key, "modelVersion": model_version,
                 "taskExecutionId": task_execution_id, "from": since, "until": until, "limit": MAX_METRIC_VALUES}
        return [MetricValue.from_json(v) for v in
                self._http.pages(f"/metrics/{segment(name)}/values", query, "values", (("nextAfterId", "afterId"),))]


_VALUE_MEMBERS = {"key": "key", "value": "value", "timestamp": "timestamp", "step": "step",
                  "model_version": "modelVersion", "modelVersion": "modelVersion",
                  "task_execution_id": "taskExecutionId", "taskExecutionId": "taskExecutionId"}


def _metric_value(v: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for name, value in v.items():
        if name not in _VALUE_MEMBERS:
            raise ValueError(f"unknown member of a metric value: {name!r}")
        if value is not None:
            out[_VALUE_MEMBERS[name]] = value
    return out


Entity = Union[Mapping[str, Any], Sequence[Any]]


class Lineage(_Area):
    """``client.lineage``: which task execution READ or WROTE which dataset, artifact or model version."""

    def record(self, task_execution_id: int, direction: str, entities: Sequence[Entity],
               namespace: Optional[str] = None) -> List[LineageEdge]:
        """Records edges (repeating a call is harmless). An entity is ``{"kind", "name", "version"?}`` or a tuple
        ``(kind, name[, version])``; kind DATASET, ARTIFACT or MODEL_VERSION (which needs its version)."""
        body = {"namespace": self._ns(namespace), "taskExecutionId": int(task_execution_id),
                "direction": direction.upper(), "entities": [_entity(e) for e in entities]}
        answer = self._http.request("POST", "/lineage", body=body, idempotent=True) or {}
        return [LineageEdge.from_json(e) for e in answer.get("edges", [])]

    def query(self, task_execution_id: Optional[int] = None, kind: Optional[str] = None, name: Optional[str] = None,
              version: Optional[int] = None, namespace: Optional[str] = None) -> List[LineageEdge]:
        """Edges of one task execution (``task_execution_id``), or to one entity (``kind``, ``name``, ``version``)."""
        if task_execution_id is not None:
            query: Dict[str, Any] = {"taskExecutionId": int(task_execution_id)}
        else:
            query = {"namespace": self._ns(namespace), "kind": kind.upper() if kind else None, "name": name,
                     "version": version}
        answer = self._http.request("GET", "/lineage", query) or {}
        return [LineageEdge.from_json(e) for e in answer.get("edges", [])]


def _entity(e: Entity) -> Dict[str, Any]:
    if isinstance(e, Mapping):
        kind, name, version = e["kind"], e["name"], e.get("version")
    else:
        kind, name, version = e[0], e[1], e[2] if len(e) > 2 else None
    return {"kind": str(kind).upper(), "name": name, "version": int(version or 0)}
