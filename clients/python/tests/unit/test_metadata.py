"""Datasets, artifacts, models and versions, metrics, lineage; paging with nextPageToken and the older cursors."""
import pytest

import aiflow


def named(prefix, n, **extra):
    return [dict({"name": f"{prefix}{i}", "uri": f"s3://{prefix}{i}"}, **extra) for i in range(n)]


def test_lists_follow_the_older_name_cursor(platform, client):
    platform.answer("GET", "/datasets", (200, {"datasets": named("a", 2), "nextAfterName": "a1"}),
                    (200, {"datasets": named("b", 1), "nextAfterName": None}))
    out = client.datasets.list(namespace="churn", name_prefix="x")
    assert [d.name for d in out] == ["a0", "a1", "b0"]
    first, second = platform.calls("GET", "/datasets")
    assert first.q("afterName") is None and first.q("namePrefix") == "x" and first.q("namespace") == "churn"
    assert second.q("afterName") == "a1"


def test_lists_follow_next_page_token_when_the_answer_has_it(platform, client):
    platform.answer("GET", "/artifacts", (200, {"artifacts": named("a", 2), "nextPageToken": "tok-1", "nextAfterName": "a1"}),
                    (200, {"artifacts": named("b", 1), "nextPageToken": None}))
    assert [a.name for a in client.artifacts.list()] == ["a0", "a1", "b0"]
    first, second = platform.calls("GET", "/artifacts")
    assert second.q("pageToken") == "tok-1" and second.q("afterName") is None


def test_metric_values_follow_next_after_id(platform, client):
    values = [{"id": i, "key": "auc", "value": 0.5 + i / 100} for i in range(1, 4)]
    platform.answer("GET", "/metrics/q/values", (200, {"values": values[:2], "nextAfterId": 2}),
                    (200, {"values": values[2:], "nextAfterId": None}))
    out = client.metrics.values("q", key="auc", model_version=1)
    assert [v.id for v in out] == [1, 2, 3] and out[0].value == 0.51
    second = platform.calls("GET", "/metrics/q/values")[1]
    assert (second.q("afterId"), second.q("key"), second.q("modelVersion")) == ("2", "auc", "1")


def test_dataset_create_update_delete(platform, client):
    ds = {"id": 1, "namespace": "churn", "name": "train", "uri": "s3://t", "format": "csv", "revision": 1,
          "schema": [{"name": "age", "type": "INT"}], "properties": {"rows": "10"}, "deleted": False}
    platform.answer("POST", "/datasets", (201, ds))
    platform.answer("PUT", "/datasets/train", (200, dict(ds, revision=2, uri="s3://t2")))
    platform.answer("DELETE", "/datasets/train", (200, dict(ds, revision=3, deleted=True)))
    d = client.datasets.create("train", "s3://t", namespace="churn", format="csv", properties={"rows": "10"},
                               schema=[{"name": "age", "type": "INT"}])
    assert d.schema == [{"name": "age", "type": "INT"}] and d.revision == 1
    assert platform.calls("POST", "/datasets")[0].json() == {"name": "train", "uri": "s3://t", "format": "csv",
                                                             "properties": {"rows": "10"},
                                                             "schema": [{"name": "age", "type": "INT"}]}
    assert client.datasets.update("train", 1, "s3://t2", namespace="churn").revision == 2
    assert platform.calls("PUT", "/datasets/train")[0].json() == {"revision": 1, "dataset": {"name": "train", "uri": "s3://t2"}}
    assert client.datasets.delete("train", 2, namespace="churn").deleted
    assert platform.calls("DELETE", "/datasets/train")[0].query == {"namespace": ["churn"], "revision": ["2"]}


def test_a_stale_revision_is_a_conflict(platform, client):
    platform.answer("PUT", "/artifacts/a", (409, {"status": 409, "code": "conflict",
                                                 "detail": "artifact 'default/a' is at revision 3, not 2"}))
    with pytest.raises(aiflow.Conflict, match="revision 3"):
        client.artifacts.update("a", 2, "s3://a")


def version_json(v, stage="GENERATED", model="m"):
    return {"id": v, "namespace": "default", "modelName": model, "version": v, "uri": f"s3://m/{v}", "stage": stage,
            "revision": 1}


def test_register_version_with_metrics_and_stage(platform, client):
    platform.answer("POST", "/models/m/versions", (201, version_json(3)))
    platform.answer("GET", "/metrics/m", (404, {"status": 404, "code": "not_found", "detail": "metric 'default/m' does not exist"}))
    platform.answer("POST", "/metrics", (201, {"name": "m", "kind": "MODEL", "modelName": "m"}))
    platform.answer("POST", "/metrics/m/values", (200, {"logged": 2}))
    stages = []

    def stage(req):
        stages.append(req.json()["stage"])
        return (200, version_json(3, req.json()["stage"]), {})
    platform.route("POST", "/models/m/versions/3/stage", stage)
    v = client.models.register_version("m", "s3://m/3", stage="DEPLOYED", metrics={"auc": 0.9, "loss": 1},
                                       type="sklearn")
    assert (v.model_name, v.version, v.stage) == ("m", 3, "DEPLOYED")
    assert platform.calls("POST", "/models/m/versions")[0].json() == {"uri": "s3://m/3", "type": "sklearn"}
    assert platform.calls("POST", "/metrics")[0].json() == {"name": "m", "kind": "MODEL", "modelName": "m"}
    assert platform.calls("POST", "/metrics/m/values")[0].json() == {"values": [
        {"key": "auc", "value": 0.9, "modelVersion": 3}, {"key": "loss", "value": 1.0, "modelVersion": 3}]}
    assert stages == ["VALIDATED", "DEPLOYED"]


def test_a_forbidden_stage_change_is_a_conflict(platform, client):
    platform.answer("POST", "/models/m/versions/1/stage", (409, {"status": 409, "code": "conflict",
                    "detail": "model version m v1 cannot move from GENERATED to DEPLOYED (allowed: [VALIDATED, DELETED])"}))
    with pytest.raises(aiflow.Conflict):
        client.models.set_stage("m", 1, "deployed", mode="REFUSE_IF_DEPLOYED")
    assert platform.requests[0].json() == {"stage": "DEPLOYED", "mode": "REFUSE_IF_DEPLOYED"}


def test_deployed_version_is_none_when_nothing_is_deployed(platform, client):
    platform.answer("GET", "/models/m/deployed", (404, {"status": 404, "code": "not_found",
                                                       "detail": "model m has no DEPLOYED version"}))
    assert client.models.deployed_version("m") is None
    platform.answer("GET", "/models/x/deployed", (404, {"status": 404, "code": "not_found",
                                                       "detail": "model 'default/x' does not exist"}))
    with pytest.raises(aiflow.NotFound):
        client.models.deployed_version("x")
    platform.answer("GET", "/models/d/deployed", (200, version_json(2, "DEPLOYED")))
    assert client.models.deployed_version("d").version == 2


def test_versions_page_by_after_version_and_latest(platform, client):
    def versions(req):
        after, limit = int(req.q("afterVersion")), int(req.q("limit"))
        top = min(after + limit, 1500)
        return (200, {"versions": [version_json(v) for v in range(after + 1, top + 1)]}, {})
    platform.route("GET", "/models/m/versions", versions)
    assert len(client.models.versions("m")) == 1500
    assert [r.q("afterVersion") for r in platform.calls("GET", "/models/m/versions")] == ["0", "1000"]
    assert client.models.latest_version("m", stage="validated").version == 1500
    assert platform.requests[-1].q("stage") == "VALIDATED"


def test_metrics_log_splits_into_calls_of_10000(platform, client):
    platform.route("POST", "/metrics/q/values", lambda r: (200, {"logged": len(r.json()["values"])}, {}))
    values = [{"key": "loss", "value": i, "step": i, "model_version": 1} for i in range(25001)]
    assert client.metrics.log("q", values) == 25001
    sizes = [len(r.json()["values"]) for r in platform.calls("POST", "/metrics/q/values")]
    assert sizes == [10000, 10000, 5001]
    assert platform.calls("POST", "/metrics/q/values")[0].json()["values"][1] == {"key": "loss", "value": 1, "step": 1,
                                                                                  "modelVersion": 1}
    with pytest.raises(ValueError):
        client.metrics.log("q", [{"key": "a", "value": 1, "colour": "red"}])


def test_metric_create(platform, client):
    platform.answer("POST", "/metrics", (201, {"name": "rows", "kind": "DATASET", "datasetName": "train"}))
    m = client.metrics.create("rows", "dataset", dataset="train", namespace="churn")
    assert (m.kind, m.dataset_name) == ("DATASET", "train")
    assert platform.requests[0].json() == {"name": "rows", "kind": "DATASET", "datasetName": "train"}


def test_lineage_record_and_query(platform, client):
    edge = {"id": 1, "namespace": "churn", "taskExecutionId": 4, "direction": "WROTE",
            "entity": {"kind": "MODEL_VERSION", "name": "m", "version": 2}, "createTime": "t"}
    platform.answer("POST", "/lineage", (200, {"edges": [edge, dict(edge, id=2)]}))
    platform.answer("GET", "/lineage", (200, {"edges": [edge]}))
    out = client.lineage.record(4, "wrote", [("MODEL_VERSION", "m", 2), {"kind": "dataset", "name": "train"}],
                                namespace="churn")
    assert [e.id for e in out] == [1, 2]
    assert platform.calls("POST", "/lineage")[0].json() == {
        "namespace": "churn", "taskExecutionId": 4, "direction": "WROTE",
        "entities": [{"kind": "MODEL_VERSION", "name": "m", "version": 2}, {"kind": "DATASET", "name": "train", "version": 0}]}
    assert client.lineage.query(kind="model_version", name="m", version=2, namespace="churn")[0].entity["version"] == 2
    assert platform.calls("GET", "/lineage")[0].query == {"namespace": ["churn"], "kind": ["MODEL_VERSION"],
                                                         "name": ["m"], "version": ["2"]}
    client.lineage.query(task_execution_id=4)
    assert platform.calls("GET", "/lineage")[1].query == {"taskExecutionId": ["4"]}
