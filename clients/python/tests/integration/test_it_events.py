"""Events against a running distribution: publish, list, count, listen, and a listener that goes on
across a platform restart without missing or repeating an event."""
import threading
import uuid

import aiflow
from waiting import until


def key() -> str:
    return "it-" + uuid.uuid4().hex[:12]


def test_publish_list_count_latest(admin):
    k = key()
    published = [admin.events.publish(k, f"v{i}", type="IT", context={"n": str(i)}) for i in range(3)]
    assert [e.version for e in published] == sorted(e.version for e in published)
    listed = admin.events.list(key=k)
    assert [(e.version, e.value, e.type, e.context) for e in listed] == [(e.version, f"v{i}", "IT", {"n": str(i)})
                                                                         for i, e in enumerate(published)]
    assert admin.events.count(key=k) == 3
    assert admin.events.latest_version(namespace="default", key=k) == published[-1].version
    assert admin.events.list(key=k, after_version=published[0].version) == listed[1:]


def test_the_same_idempotency_key_stores_one_event(admin):
    k = key()
    first = admin.events.publish(k, "once", idempotency_key="it-" + k)
    again = admin.events.publish(k, "once", idempotency_key="it-" + k)
    assert again.version == first.version
    assert admin.events.count(key=k) == 1


def test_publish_batch_is_stored_in_order(admin):
    k = key()
    stored = admin.events.publish_batch([{"key": k, "value": str(i)} for i in range(5)])
    assert [e.value for e in admin.events.list(key=k)] == ["0", "1", "2", "3", "4"]
    assert [e.version for e in stored] == [e.version for e in admin.events.list(key=k)]


class Listener:
    """Runs ``events.listen`` on a thread and keeps what it yields."""

    def __init__(self, client: aiflow.Client, key: str, after: int) -> None:
        self.seen = []
        self.errors = []
        self._iter = client.events.listen(key=key, after_version=after, wait=5)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for e in self._iter:
                self.seen.append(e)
        except Exception as e:  # reported by the test
            self.errors.append(e)


def test_listen_delivers_events_published_after_it_started(admin):
    k = key()
    listener = Listener(admin, k, after=admin.events.latest_version())
    versions = [admin.events.publish(k, str(i)).version for i in range(4)]
    until("4 events heard", lambda: len(listener.seen) >= 4, timeout=30)
    assert [e.version for e in listener.seen] == versions
    assert listener.errors == []


def test_a_listener_resumes_across_a_platform_restart(platform, admin):
    k = key()
    start = admin.events.latest_version()
    listener = Listener(admin, k, after=start)
    before = [admin.events.publish(k, f"before-{i}").version for i in range(5)]
    until("the events before the restart heard", lambda: len(listener.seen) >= 5, timeout=30)

    platform.stop()  # bin/stop while the listener is in a long-poll
    platform.start()

    after = [admin.events.publish(k, f"after-{i}").version for i in range(5)]
    until("the events after the restart heard", lambda: len(listener.seen) >= 10, timeout=60)
    heard = [e.version for e in listener.seen]
    assert heard == before + after, "none missed, none repeated, in order"
    assert [e.value for e in listener.seen] == [f"before-{i}" for i in range(5)] + [f"after-{i}" for i in range(5)]
    assert listener.errors == []
