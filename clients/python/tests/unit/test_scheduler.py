"""Workflows, executions and tasks: upload, start, wait, logs."""
import pytest

import aiflow


def wf(name="hello"):
    return {"id": 1, "namespace": "default", "name": name, "enabled": True, "snapshotId": 3}


def test_upload_a_yaml_file(platform, client, tmp_path):
    f = tmp_path / "pipeline.yaml"
    f.write_text("name: hello\nnamespace: default\n")
    platform.answer("POST", "/workflows", (201, wf()))
    w = client.workflows.upload(str(f))
    assert (w.name, w.snapshot_id) == ("hello", 3)
    req = platform.requests[0]
    assert req.headers["content-type"] == "application/yaml"
    assert req.q("source") == "pipeline.yaml"
    assert req.body == b"name: hello\nnamespace: default\n"


def test_upload_json_text(platform, client):
    platform.answer("POST", "/workflows", (201, wf()))
    client.workflows.upload('{"name": "hello"}')
    assert platform.requests[0].headers["content-type"] == "application/json"


def test_an_invalid_workflow_is_invalid_argument(platform, client):
    platform.answer("POST", "/workflows", (400, {"status": 400, "code": "invalid_argument",
                                                "detail": "workflow 'ops' has no tasks"}))
    with pytest.raises(aiflow.InvalidArgument, match="no tasks"):
        client.workflows.upload('{"name": "ops"}')


def test_start_is_sent_once_and_wait_polls_until_it_ends(platform, client):
    platform.answer("POST", "/workflows/hello/executions", (201, {"id": 9, "status": "RUNNING", "workflowName": "hello"}))
    platform.answer("GET", "/executions/9", (200, {"id": 9, "status": "RUNNING"}), (200, {"id": 9, "status": "RUNNING"}),
                    (200, {"id": 9, "status": "SUCCESS", "endTime": "t"}))
    e = client.workflows.start("hello")
    assert e.running
    done = client.executions.wait(e.id, timeout=10, poll=0.01)
    assert done.status == "SUCCESS" and len(platform.calls("GET", "/executions/9")) == 3


def test_wait_times_out(platform, client):
    platform.answer("GET", "/executions/9", (200, {"id": 9, "status": "RUNNING"}))
    with pytest.raises(TimeoutError):
        client.executions.wait(9, timeout=0.05, poll=0.01)


def test_lists_send_their_filters(platform, client):
    platform.answer("GET", "/executions", (200, {"executions": [{"id": 2}]}))
    platform.answer("GET", "/tasks", (200, {"tasks": [{"id": 5, "status": "SUCCESS", "taskName": "train"}]}))
    platform.answer("GET", "/workflows", (200, {"workflows": [wf()]}))
    assert client.executions.list(workflow="hello", limit=5)[0].id == 2
    assert platform.calls("GET", "/executions")[0].query == {"workflow": ["hello"], "namespace": ["default"], "limit": ["5"]}
    t = client.tasks.list(execution_id=2, status="success")[0]
    assert t.final and t.task_name == "train"
    assert platform.calls("GET", "/tasks")[0].query == {"executionId": ["2"], "status": ["SUCCESS"], "limit": ["100"]}
    assert client.workflows.list()[0].name == "hello"


def test_log_slice(platform, client):
    platform.answer("GET", "/tasks/5/logs/stderr.log", (200, {"taskExecutionId": 5, "file": "stderr.log", "offset": 0,
                                                             "nextOffset": 3, "size": 3, "text": "hi\n"}))
    s = client.tasks.log(5, "stderr", max_bytes=10)
    assert (s.text, s.next_offset) == ("hi\n", 3)
    assert platform.requests[0].query == {"offset": ["0"], "maxBytes": ["10"]}


def test_follow_reads_until_the_task_has_ended(platform, client):
    log = {"text": ""}
    states = iter(["RUNNING", "RUNNING", "SUCCESS"])

    def task(req):
        status = next(states)
        log["text"] += {"RUNNING": "line\n", "SUCCESS": "last\n"}[status]
        return (200, {"id": 5, "status": status}, {})

    def read(req):
        offset = int(req.q("offset"))
        data = log["text"].encode()
        part = data[offset:offset + 4]
        return (200, {"offset": offset, "nextOffset": offset + len(part), "size": len(data), "text": part.decode()}, {})
    platform.route("GET", "/tasks/5", task)
    platform.route("GET", "/tasks/5/logs/stdout.log", read)
    assert "".join(client.tasks.follow(5, poll=0.01)) == "line\nline\nlast\n"


def test_follow_reads_a_rotated_log_from_its_start(platform, client):
    logs = [b"old line\n", b"new\n"]  # the file became shorter: copy-truncate rotation
    reads = {"n": 0}
    states = iter(["RUNNING", "SUCCESS"])
    platform.route("GET", "/tasks/6", lambda r: (200, {"id": 6, "status": next(states)}, {}))

    def read(req):
        reads["n"] += 1
        data = logs[0] if reads["n"] == 1 else logs[1]
        offset = int(req.q("offset"))
        part = data[offset:]
        return (200, {"offset": offset, "nextOffset": offset + len(part), "size": len(data), "text": part.decode()}, {})
    platform.route("GET", "/tasks/6/logs/stdout.log", read)
    assert "".join(client.tasks.follow(6, poll=0.01)) == "old line\nnew\n"
    assert [r.q("offset") for r in platform.calls("GET", "/tasks/6/logs/stdout.log")] == ["0", "9", "0"]
