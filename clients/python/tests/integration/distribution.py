"""The built AI Flow distribution as its own process, as users run it, for the integration tests.

Unpacks ``karaf-assembly/target/org.aiflow.assembly-*.tar.gz`` (or ``$AIFLOW_DISTRIBUTION``) into a
temporary home, gives it free ports of its own (HTTP, SSH, JMX registry and server: the ports
itests' ``ClusterFailoverIT`` rewrites), starts ``bin/karaf server`` with the admin password in
``AIFLOW_ADMIN_PASSWORD`` (docs/security.md: how scripts create the first admin), waits for
``/aiflow/v1/health/ready`` and stops it with ``bin/stop``, as a user would.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[4]
ADMIN = "admin"
ADMIN_PASSWORD = "pytest-admin-pw"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 120.0

# the lines the assembly ships, and the setting each becomes
_PORTS = {
    "etc/org.ops4j.pax.web.cfg": ["org.osgi.service.http.port = 8181"],
    "etc/org.apache.karaf.shell.cfg": ["sshPort = 8101"],
    "etc/org.apache.karaf.management.cfg": ["rmiRegistryPort = 1099", "rmiServerPort = 44444"],
}


def tarball() -> Path:
    """The distribution to test: ``$AIFLOW_DISTRIBUTION``, else the newest built one."""
    given = os.environ.get("AIFLOW_DISTRIBUTION")
    if given:
        return Path(given)
    found = sorted(glob.glob(str(REPO / "karaf-assembly" / "target" / "org.aiflow.assembly-*.tar.gz")), key=os.path.getmtime)
    if not found:
        raise FileNotFoundError("no karaf-assembly/target/org.aiflow.assembly-*.tar.gz: build it first "
                                "(mvn -B install -DskipTests -pl karaf-assembly -am)")
    return Path(found[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _java_home() -> Optional[str]:
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    return str(Path(os.path.realpath(java)).parents[1]) if java else None


class Distribution:
    """One unpacked distribution: :meth:`start`, :meth:`stop` (and start again: same home, same data)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.http_port = free_port()
        self.process: Optional[subprocess.Popen] = None
        # every session the platform ran in: the jobs of an earlier run live on in theirs
        self._sessions: list = []
        home.mkdir(parents=True)
        # the system's tar, as users unpack it (keeps the scripts' modes on every Python version)
        subprocess.run(["tar", "xzf", str(tarball()), "-C", str(home), "--strip-components=1"], check=True)
        ports = iter([self.http_port, free_port(), free_port(), free_port()])
        for name, lines in _PORTS.items():
            path = home / name
            text = path.read_text(encoding="utf-8")
            for line in lines:
                if line not in text:
                    raise AssertionError(f"no '{line}' in {path}: the assembly changed, update {__file__}")
                key = line.split("=")[0].strip()
                text = text.replace(line, f"{key} = {next(ports)}")
            path.write_text(text, encoding="utf-8")

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: what ``aiflow.Client`` takes."""
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> None:
        """Starts ``bin/karaf server`` (output appended to ``console.log``) and waits until it is ready."""
        env = dict(os.environ)
        env["AIFLOW_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        java_home = _java_home()
        if java_home:
            env["JAVA_HOME"] = java_home
        # the platform's own AIFLOW_* settings must not leak from the test's environment
        for name in [n for n in env if n.startswith("AIFLOW_") and n != "AIFLOW_ADMIN_PASSWORD"]:
            del env[name]
        with open(self.home / "console.log", "ab") as out:
            # its own session: the teardown can end the platform and every job it started at once
            self.process = subprocess.Popen([str(self.home / "bin" / "karaf"), "server"], cwd=self.home, env=env,
                                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        self._sessions.append(self.process.pid)
        self._await_ready()

    def _await_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last = "nothing answered"
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the platform exited with {self.process.returncode} before it was ready: see "
                                     f"{self.home / 'console.log'} and {self.home / 'data/log/karaf.log'}")
            try:
                with urllib.request.urlopen(self.url + "/aiflow/v1/health/ready", timeout=5) as r:
                    if r.status == 200:
                        return
            except urllib.error.HTTPError as e:
                last = f"{e.code} {e.read()[:300]!r}"
            except OSError as e:
                last = str(e)  # not listening yet
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready within {START_TIMEOUT:.0f} s: {last}")
            time.sleep(0.2)

    def stop(self) -> None:
        """A graceful stop (``bin/stop``); the jobs the platform started keep running, as after a real stop."""
        if self.process is None or self.process.poll() is not None:
            return
        subprocess.run([str(self.home / "bin" / "stop")], cwd=self.home, env={**os.environ, "JAVA_HOME": _java_home() or ""},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=False)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the platform's sessions: the launcher, the JVM and every job it started."""
        for pgid in self._sessions:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait(30)
