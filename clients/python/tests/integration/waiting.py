"""Bounded polling for the integration tests (no fixed sleeps: each wait ends as soon as its condition holds)."""
import time
from typing import Callable, Optional, TypeVar

T = TypeVar("T")


def until(what: str, probe: Callable[[], Optional[T]], timeout: float = 120.0, every: float = 0.25) -> T:
    """Calls ``probe`` until it returns something truthy, and returns that; fails after ``timeout`` seconds
    with ``what`` and the last value (or exception) seen."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = probe()
            if value:
                return value
            last = value
        except Exception as e:  # the platform may be restarting: keep trying until the deadline
            last = e
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s (last: {last!r})")
        time.sleep(every)
