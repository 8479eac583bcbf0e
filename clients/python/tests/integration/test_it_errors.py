"""The platform's error answers arrive as the typed exceptions, and a refused call changes nothing."""
import uuid

import pytest

import aiflow
from distribution import ADMIN


def name() -> str:
    return "it-" + uuid.uuid4().hex[:12]


def test_400_is_invalid_argument_and_stores_nothing(admin):
    k = name()
    with pytest.raises(aiflow.InvalidArgument) as e:
        admin.events.publish(k, "x", namespace="bad ns")
    assert e.value.status == 400
    assert e.value.code and e.value.detail
    assert admin.events.count(key=k) == 0


def test_404_is_not_found(admin):
    with pytest.raises(aiflow.NotFound) as e:
        admin.datasets.get(name())
    assert e.value.status == 404
    assert e.value.code == "not_found"


def test_409_is_conflict(admin):
    n = name()
    admin.datasets.create(n, "file:///tmp/" + n + ".csv", format="csv")
    with pytest.raises(aiflow.Conflict) as e:
        admin.datasets.create(n, "file:///tmp/other.csv", format="csv")
    assert e.value.status == 409
    assert admin.datasets.get(n).uri == "file:///tmp/" + n + ".csv", "the refused create changed nothing"


def test_413_is_too_large_and_stores_nothing(admin):
    k = name()
    with pytest.raises(aiflow.TooLarge) as e:
        admin.events.publish(k, "x" * (1024 * 1024 + 1))  # maxValueBytes is 1 MiB by default
    assert e.value.status == 413
    assert admin.events.count(key=k) == 0


def test_401_is_unauthenticated(platform):
    with pytest.raises(aiflow.Unauthenticated) as e:
        aiflow.Client(platform.url, username=ADMIN, password="wrong").events.count()
    assert e.value.status == 401
