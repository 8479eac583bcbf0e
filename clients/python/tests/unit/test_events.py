"""Events: publish, batch, list, count, listen across a dropped connection; subscriptions."""
import json
import threading

import pytest

import aiflow
from conftest import event_json


def test_publish_returns_the_stored_event(platform, client):
    platform.answer("POST", "/events", (201, event_json(42, "model.deployed", "v3")))
    e = client.events.publish("model.deployed", "v3")
    assert isinstance(e, aiflow.Event)
    assert (e.version, e.key, e.value, e.create_time, e.principal) == (42, "model.deployed", "v3",
                                                                      "2026-12-07T10:00:00Z", "admin")


def test_publish_refuses_non_text_values(client):
    with pytest.raises(TypeError):
        client.events.publish("k", 3)


def test_a_too_large_value_is_too_large(platform, client):
    platform.answer("POST", "/events", (413, {"status": 413, "code": "too_large", "detail": "value over 1048576 bytes"}))
    with pytest.raises(aiflow.TooLarge):
        client.events.publish("k", "x" * 10)
    assert len(platform.calls("POST", "/events")) == 1  # a 413 is not retried


def test_publish_batch_keys_every_draft(platform, client):
    platform.answer("POST", "/events/batch", (503, {"code": "unavailable", "detail": "x"}),
                    (201, {"events": [event_json(1, "a"), event_json(2, "b")]}))
    out = client.events.publish_batch([{"key": "a", "value": "1"},
                                       {"key": "b", "value": "2", "namespace": "ml", "idempotency_key": "b-1"}])
    assert [e.version for e in out] == [1, 2]
    first, second = platform.calls("POST", "/events/batch")
    assert first.body == second.body
    drafts = first.json()["events"]
    assert drafts[0]["namespace"] == "default" and len(drafts[0]["idempotencyKey"]) == 36
    assert drafts[1]["namespace"] == "ml" and drafts[1]["idempotencyKey"] == "b-1"


def test_list_sends_filters_and_reads_the_page(platform, client):
    platform.answer("GET", "/events", (200, {"events": [event_json(3), event_json(4)], "lastVersion": 4}))
    out = client.events.list(namespace="ml", key=["a", "b"], after_version=2, limit=10)
    assert [e.version for e in out] == [3, 4]
    req = platform.requests[0]
    assert req.query == {"namespace": ["ml"], "key": ["a", "b"], "afterVersion": ["2"], "limit": ["10"]}


def test_count_and_latest(platform, client):
    platform.answer("GET", "/events/count", (200, {"count": 12}))
    platform.answer("GET", "/events/latest", (200, {"version": 99}))
    assert client.events.count(key="a") == 12
    assert client.events.latest_version(namespace="ml", key="a") == 99
    assert platform.calls("GET", "/events/latest")[0].query == {"namespace": ["ml"], "key": ["a"]}


def test_listen_resumes_after_the_last_version_across_a_dropped_connection(platform, client):
    state = {"n": 0}

    def events(req):
        state["n"] += 1
        after = int(req.q("afterVersion"))
        if state["n"] == 1:
            return (200, {"events": [event_json(11), event_json(12)], "lastVersion": 12}, {})
        if state["n"] == 2:
            return "drop"  # the platform went away mid-poll
        if state["n"] == 3:
            return (503, {"status": 503, "code": "unavailable", "detail": "starting"}, {"Retry-After": "0"})
        return (200, {"events": [event_json(v) for v in range(after + 1, after + 3)], "lastVersion": after + 2}, {})

    platform.route("GET", "/events", events)
    it = client.events.listen(key="k", after_version=10, wait=1)
    seen = [next(it).version for _ in range(6)]
    assert seen == [11, 12, 13, 14, 15, 16]
    afters = [r.q("afterVersion") for r in platform.calls("GET", "/events")]
    assert afters[:5] == ["10", "12", "12", "12", "14"]
    assert platform.calls("GET", "/events")[0].q("wait") == "1"


def test_listen_from_now_starts_after_the_latest_version(platform, client):
    platform.answer("GET", "/events/latest", (200, {"version": 50}))
    platform.answer("GET", "/events", (200, {"events": [event_json(51)], "lastVersion": 51}))
    assert next(client.events.listen()).version == 51
    assert platform.calls("GET", "/events")[0].q("afterVersion") == "50"


def test_listen_moves_on_when_filtered_pages_are_empty(platform, client):
    platform.answer("GET", "/events", (200, {"events": [], "lastVersion": 30}),
                    (200, {"events": [event_json(31)], "lastVersion": 31}))
    assert next(client.events.listen(after_version=0, wait=0)).version == 31
    assert [r.q("afterVersion") for r in platform.calls("GET", "/events")] == ["0", "30"]


def test_subscriptions(platform, client):
    sub = {"name": "indexer", "cursor": 4, "head": 10, "lag": 6, "createTime": "t", "updateTime": "t"}
    platform.answer("POST", "/subscriptions", (201, sub))
    platform.answer("GET", "/subscriptions", (200, {"subscriptions": [sub]}))
    platform.answer("GET", "/subscriptions/indexer", (200, sub))
    platform.answer("GET", "/subscriptions/indexer/events", (200, {"events": [event_json(5)], "lastVersion": 5}))
    platform.answer("POST", "/subscriptions/indexer/ack", (200, dict(sub, cursor=5, lag=5)))
    platform.answer("DELETE", "/subscriptions/indexer", (204, None))
    assert client.subscriptions.create("indexer", after_version=4).lag == 6
    assert platform.calls("POST", "/subscriptions")[0].json() == {"name": "indexer", "afterVersion": 4}
    assert [s.name for s in client.subscriptions.list()] == ["indexer"]
    assert client.subscriptions.get("indexer").cursor == 4
    assert [e.version for e in client.subscriptions.events("indexer", limit=5, wait=1)] == [5]
    assert client.subscriptions.ack("indexer", 5).cursor == 5
    assert platform.calls("POST", "/subscriptions/indexer/ack")[0].json() == {"version": 5}
    assert client.subscriptions.delete("indexer") is None


def test_listen_waits_out_a_platform_restart_and_resumes(platform):
    """The platform goes away (connections refused) and comes back on the same port."""
    from conftest import FakePlatform
    port = platform.server.server_address[1]

    def events(req):
        after = int(req.q("afterVersion"))
        return (200, {"events": [event_json(after + 1)], "lastVersion": after + 1}, {})

    platform.route("GET", "/events", events)
    c = aiflow.Client(platform.url, retries=1, backoff=0.01, max_backoff=0.05)
    it = c.events.listen(after_version=0, wait=1)
    assert next(it).version == 1
    platform.close()  # down: the next calls are refused
    seen = []
    consumer = threading.Thread(target=lambda: seen.append(next(it).version), daemon=True)
    consumer.start()
    consumer.join(0.3)
    assert consumer.is_alive() and seen == []  # still waiting while the platform is down
    again = FakePlatform(port)
    try:
        again.route("GET", "/events", events)
        consumer.join(10)
        assert seen == [2]
        assert again.calls("GET", "/events")[0].q("afterVersion") == "1"
    finally:
        again.close()


def sse(*versions, comment=True):
    out = b": heartbeat\n\n" if comment else b""
    for v in versions:
        out += b"id: %d\nevent: event\ndata: " % v + json.dumps(event_json(v)).encode() + b"\n\n"
    return out


def test_listen_over_sse_reconnects_with_the_last_event_id(platform, client):
    # each answer ends the stream, as a dropped connection or a restart would; one repeats an event
    platform.answer("GET", "/events/stream", (200, sse(1, 2), {"Content-Type": "text/event-stream"}),
                    (503, {"status": 503, "code": "unavailable", "detail": "starting"}, {"Retry-After": "0"}),
                    (200, sse(2, 3), {"Content-Type": "text/event-stream"}),
                    (200, sse(4), {"Content-Type": "text/event-stream"}))
    it = client.events.listen(key="k", after_version=0, sse=True, wait=1)
    assert [next(it).version for _ in range(4)] == [1, 2, 3, 4]
    calls = platform.calls("GET", "/events/stream")
    assert [r.headers["last-event-id"] for r in calls] == ["0", "2", "2", "3"]
    assert calls[0].headers["accept"] == "text/event-stream" and calls[0].q("key") == "k"
