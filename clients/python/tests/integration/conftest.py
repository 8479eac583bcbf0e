"""Fixtures of the integration tests: one built distribution started for the session on free ports.

Run (after ``mvn -B install -DskipTests -pl karaf-assembly -am``)::

    flock /tmp/aiflow-dist.lock python3 -m pytest clients/python/tests/integration
"""
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # clients/python: the aiflow package under test
sys.path.insert(0, str(HERE))

import aiflow  # noqa: E402
from distribution import ADMIN, ADMIN_PASSWORD, Distribution  # noqa: E402


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """The running distribution; tests may stop and start it, and must leave it running."""
    d = Distribution(tmp_path_factory.mktemp("aiflow") / "home")
    try:
        d.start()
        yield d
        d.stop()
    finally:
        d.kill()


@pytest.fixture()
def admin(platform) -> aiflow.Client:
    """A client signed in as the distribution's admin."""
    return aiflow.Client(platform.url, username=ADMIN, password=ADMIN_PASSWORD)
