"""Client.from_task_environment: the environment the platform's runners give a job."""
import json

import pytest

import aiflow


def test_reads_the_task_context_and_the_event_file(platform, tmp_path):
    event = {"version": 13, "namespace": "churn", "key": "data.ready", "value": "s3://x", "type": "DATA",
             "sender": "ingest", "context": {"a": "b"}, "createTime": "2026-12-07T10:00:00Z", "principal": "task:3"}
    f = tmp_path / "event.json"
    f.write_text(json.dumps(event))
    env = {"AIFLOW_URL": platform.url + "/aiflow/v1", "AIFLOW_TOKEN": "aif_task", "AIFLOW_NAMESPACE": "churn",
           "AIFLOW_WORKFLOW": "pipeline", "AIFLOW_WORKFLOW_EXECUTION_ID": "7", "AIFLOW_TASK": "train",
           "AIFLOW_TASK_EXECUTION_ID": "21", "AIFLOW_EVENT_FILE": str(f), "AIFLOW_EVENT_VERSION": "13",
           "AIFLOW_EVENT_NAMESPACE": "churn", "AIFLOW_EVENT_KEY": "data.ready", "AIFLOW_EVENT_TYPE": "DATA"}
    c = aiflow.Client.from_task_environment(env)
    assert c.base_url == platform.url + "/aiflow/v1"
    assert c.namespace == "churn"
    t = c.task
    assert (t.namespace, t.workflow, t.workflow_execution_id, t.task, t.task_execution_id) == (
        "churn", "pipeline", 7, "train", 21)
    assert t.event == aiflow.Event.from_json(event)
    # the task's token is sent, and what names no namespace goes to the task's
    platform.answer("POST", "/events", (201, dict(event, version=14)))
    c.events.publish("train.done", "ok")
    req = platform.calls("POST", "/events")[0]
    assert req.headers["authorization"] == "Bearer aif_task"
    assert req.json()["namespace"] == "churn"


def test_event_from_the_variables_when_the_file_is_gone(tmp_path):
    env = {"AIFLOW_URL": "http://h:8181/aiflow/v1", "AIFLOW_NAMESPACE": "ml", "AIFLOW_TASK_EXECUTION_ID": "2",
           "AIFLOW_EVENT_FILE": str(tmp_path / "missing.json"), "AIFLOW_EVENT_VERSION": "5",
           "AIFLOW_EVENT_NAMESPACE": "ml", "AIFLOW_EVENT_KEY": "go", "AIFLOW_EVENT_TYPE": "T"}
    e = aiflow.Client.from_task_environment(env).task.event
    assert (e.version, e.namespace, e.key, e.type) == (5, "ml", "go", "T")


def test_no_event_when_none_started_the_task():
    c = aiflow.Client.from_task_environment({"AIFLOW_URL": "http://h:8181/aiflow/v1", "AIFLOW_NAMESPACE": "ml"})
    assert c.task.event is None and c.task.task_execution_id is None


def test_without_aiflow_url_it_says_why():
    with pytest.raises(RuntimeError, match="AIFLOW_URL"):
        aiflow.Client.from_task_environment({})


def test_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("AIFLOW_URL", "http://10.0.0.1:8181/aiflow/v1")
    monkeypatch.setenv("AIFLOW_NAMESPACE", "prod")
    monkeypatch.delenv("AIFLOW_TOKEN", raising=False)
    c = aiflow.Client.from_task_environment()
    assert c.base_url == "http://10.0.0.1:8181/aiflow/v1" and c.namespace == "prod"
