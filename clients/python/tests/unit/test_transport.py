"""Request building, credentials, error mapping, retries."""
import base64

import pytest

import aiflow
from aiflow._http import api_base, encode_query
from conftest import event_json


def test_base_url_gets_the_api_path_unless_it_has_one():
    assert api_base("http://h:8181") == "http://h:8181/aiflow/v1"
    assert api_base("http://h:8181/") == "http://h:8181/aiflow/v1"
    assert api_base("http://h:8181/aiflow/v1/") == "http://h:8181/aiflow/v1"
    with pytest.raises(ValueError):
        api_base("h:8181")


def test_query_leaves_out_none_and_repeats_lists():
    assert encode_query({"a": None, "key": ["x y", "z/1"], "b": True}) == "?key=x%20y&key=z%2F1&b=true"


def test_basic_credentials_json_body_and_csrf_header(platform, client):
    platform.answer("POST", "/events", (201, event_json(7)))
    client.events.publish("train.done", "ok", type="status", context={"run": "1"}, sender="job")
    req = platform.calls("POST", "/events")[0]
    assert req.headers["authorization"] == "Basic " + base64.b64encode(b"admin:s3cret").decode()
    assert req.headers["content-type"] == "application/json"
    assert req.headers["accept"] == "application/json"
    assert req.headers["x-requested-by"]
    assert req.json() == {"namespace": "default", "key": "train.done", "value": "ok", "type": "status",
                          "sender": "job", "context": {"run": "1"}}


def test_bearer_token(platform):
    platform.answer("GET", "/events/latest", (200, {"version": 3}))
    c = aiflow.Client(platform.url, token="aif_abc", timeout=5)
    assert c.events.latest_version() == 3
    assert platform.requests[0].headers["authorization"] == "Bearer aif_abc"


def test_no_credentials_no_header(platform):
    platform.answer("GET", "/health", (200, {"status": "UP"}))
    assert aiflow.Client(platform.url).health() == "UP"
    assert "authorization" not in platform.requests[0].headers


def test_path_segments_are_encoded(platform, client):
    platform.route("GET", "/datasets/train set%/x", lambda r: (200, {"name": "train set%/x", "uri": "u"}, {}))
    d = client.datasets.get("train set%/x", namespace="churn")
    assert d.name == "train set%/x"
    assert platform.requests[0].q("namespace") == "churn"


@pytest.mark.parametrize("status,cls,code", [
    (400, aiflow.InvalidArgument, "invalid_argument"), (401, aiflow.Unauthenticated, "unauthenticated"),
    (403, aiflow.Forbidden, "forbidden"), (404, aiflow.NotFound, "not_found"), (409, aiflow.Conflict, "conflict"),
    (412, aiflow.PreconditionFailed, "precondition_failed"), (413, aiflow.TooLarge, "too_large"),
    (503, aiflow.Unavailable, "unavailable")])
def test_problem_bodies_become_typed_errors(platform, status, cls, code):
    problem = {"type": "about:blank", "title": "t", "status": status, "code": code, "detail": f"detail {status}"}
    platform.answer("GET", "/models/m", (status, problem))
    c = aiflow.Client(platform.url, retries=0)
    with pytest.raises(cls) as e:
        c.models.get("m")
    assert (e.value.status, e.value.code, e.value.detail) == (status, code, f"detail {status}")
    assert isinstance(e.value, aiflow.AiflowError)


def test_older_json_bodies_with_message(platform):
    platform.answer("GET", "/models/m", (409, {"status": 409, "code": "conflict", "message": "stale revision"}))
    with pytest.raises(aiflow.Conflict) as e:
        aiflow.Client(platform.url).models.get("m")
    assert e.value.detail == "stale revision" and e.value.message == "stale revision"


def test_a_body_that_is_not_json_still_gives_the_status(platform):
    platform.answer("GET", "/models/m", (404, b"<html>nope</html>", {"Content-Type": "text/html"}))
    with pytest.raises(aiflow.NotFound) as e:
        aiflow.Client(platform.url).models.get("m")
    assert e.value.code == "not_found"


def test_unavailable_carries_retry_after(platform):
    platform.answer("GET", "/models/m", (503, {"status": 503, "code": "unavailable", "detail": "starting"},
                                         {"Retry-After": "7"}))
    with pytest.raises(aiflow.Unavailable) as e:
        aiflow.Client(platform.url, retries=0).models.get("m")
    assert e.value.retry_after == 7.0


def test_429_is_retried_after_its_retry_after(platform):
    waits = []
    platform.answer("GET", "/events/latest", (429, {"code": "too_many_requests", "detail": "slow down"},
                                               {"Retry-After": "1"}), (200, {"version": 4}))
    c = aiflow.Client(platform.url)
    c._http.sleep = waits.append
    assert c.events.latest_version() == 4 and waits == [1.0]


def test_retry_after_is_waited_before_the_retry(platform):
    waits = []
    platform.answer("GET", "/models/m", (503, {"code": "unavailable", "detail": "x"}, {"Retry-After": "2"}),
                    (200, {"name": "m"}))
    c = aiflow.Client(platform.url, max_backoff=30)
    c._http.sleep = waits.append
    assert c.models.get("m").name == "m"
    assert waits == [2.0]


def test_publish_retries_503_with_the_same_idempotency_key(platform, client):
    platform.answer("POST", "/events", (503, {"code": "unavailable", "detail": "switching"}),
                    (503, {"code": "unavailable", "detail": "switching"}), (201, event_json(5)))
    e = client.events.publish("k", "v")
    assert e.version == 5
    keys = [r.headers["idempotency-key"] for r in platform.calls("POST", "/events")]
    assert len(keys) == 3 and len(set(keys)) == 1 and len(keys[0]) == 36


def test_publish_retries_a_dropped_connection_with_the_same_key(platform, client):
    platform.answer("POST", "/events", "drop", (201, event_json(6)))
    assert client.events.publish("k", "v", idempotency_key="mine").version == 6
    assert [r.headers["idempotency-key"] for r in platform.calls("POST", "/events")] == ["mine", "mine"]


def test_each_publish_gets_a_fresh_key(platform, client):
    platform.answer("POST", "/events", (201, event_json(1)))
    client.events.publish("k", "v")
    client.events.publish("k", "v")
    a, b = platform.calls("POST", "/events")
    assert a.headers["idempotency-key"] != b.headers["idempotency-key"]


def test_a_new_model_version_is_not_resent_after_a_dropped_connection(platform, client):
    # the platform keeps POST answers in memory only: after a restart a re-send would register a second version
    platform.answer("POST", "/models/m/versions", "drop", (201, {"modelName": "m", "version": 1}))
    with pytest.raises(aiflow.Unavailable) as e:
        client.models.register_version("m", "s3://m/1")
    assert e.value.status == 0
    assert len(platform.calls("POST", "/models/m/versions")) == 1
    assert platform.calls("POST", "/models/m/versions")[0].headers["idempotency-key"]


def test_a_named_create_is_resent_with_its_idempotency_key(platform, client):
    platform.answer("POST", "/datasets", "drop", (201, {"name": "train", "uri": "s3://t"}))
    assert client.datasets.create("train", "s3://t").name == "train"
    keys = [r.headers["idempotency-key"] for r in platform.calls("POST", "/datasets")]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_every_post_carries_an_idempotency_key(platform, client):
    platform.answer("POST", "/workflows/w/executions", (201, {"id": 1}))
    client.workflows.start("w")
    client.workflows.start("w")
    a, b = platform.calls("POST", "/workflows/w/executions")
    assert a.headers["idempotency-key"] != b.headers["idempotency-key"]


def test_idempotency_key_reused_is_an_aiflow_error(platform, client):
    platform.answer("POST", "/models", (422, {"status": 422, "code": "idempotency_key_reused", "detail": "other body"}))
    with pytest.raises(aiflow.AiflowError) as e:
        client.models.create("m")
    assert (e.value.status, e.value.code) == (422, "idempotency_key_reused")


def test_retries_give_up_with_unavailable(platform):
    platform.answer("GET", "/events/latest", (503, {"code": "unavailable", "detail": "down"}))
    c = aiflow.Client(platform.url, retries=2, backoff=0.001)
    with pytest.raises(aiflow.Unavailable):
        c.events.latest_version()
    assert len(platform.calls("GET", "/events/latest")) == 3


def test_refused_connection_is_unavailable():
    c = aiflow.Client("http://127.0.0.1:9", retries=1, backoff=0.001)
    with pytest.raises(aiflow.Unavailable) as e:
        c.events.latest_version()
    assert e.value.status == 0


def test_await_ready_waits_out_503(platform, client):
    not_ready = (503, {"status": 503, "code": "unavailable", "detail": "not ready: missing rest", "missing": ["rest"]},
                 {"Retry-After": "1"})
    platform.answer("GET", "/health/ready", not_ready, not_ready, (200, {"status": "READY"}))
    client.await_ready(timeout=10, poll=0.01)
    assert len(platform.calls("GET", "/health/ready")) == 3


def test_await_ready_gives_up_with_what_is_missing(platform, client):
    platform.answer("GET", "/health/ready", (503, {"status": 503, "code": "unavailable", "detail": "missing rest",
                                                  "missing": ["rest"]}))
    with pytest.raises(aiflow.Unavailable) as e:
        client.await_ready(timeout=0.1, poll=0.01)
    assert e.value.body["missing"] == ["rest"] and "missing rest" in e.value.detail
