"""Start and stop gunicorn from deploy/gunicorn.conf.py with production settings, and a private
redis-server to stop, freeze and start again under it.

Used by bench/web.py and by the tests in tests/deploy/.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
REDIS_SERVER = os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server") or ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(*, database_url: str, redis_url: str, secret_key: str = "", **extra) -> dict:
    """The environment of a production app server on this machine, over plain HTTP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # No TLS proxy in front of a local run.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    env.update({name: str(value) for name, value in extra.items()})
    return env


def collect_static(env: dict) -> None:
    """collectstatic with the servers' own (production) settings: their manifest storage needs
    the manifest, or every page that names a static file fails."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


class Server:
    """One gunicorn master with its workers, logging to ``log_path``."""

    def __init__(
        self,
        *,
        env: dict,
        port: int,
        log_path: Path,
        workers: int = 2,
        healthy: bool = True,
        app: str = "",
    ):
        # app: another WSGI application on the same configuration (bench/raw.py's ceiling).
        # healthy=False: ready once /healthz answers at all (a server started on a broken cache
        # answers 503 there).
        self.healthy = healthy
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONFIG), *([app] if app else [])],
            cwd=ROOT,
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": str(workers),
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                status = requests.get(self.base_url + "/healthz", timeout=5).status_code
                if status == 200 or not self.healthy:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def __enter__(self):
        try:
            self.wait_ready()
        except BaseException:
            # A server that never answered is stopped too, not left running behind a failed run.
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()


class RedisServer:
    """A redis-server of our own on a free port, never the shared one: stopping or freezing it
    hurts no one else. Nothing is saved to disk; a restart starts empty, as after a crash."""

    def __init__(self, *, port: int = 0):
        if not REDIS_SERVER:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self._dir = tempfile.TemporaryDirectory(prefix="forum-redis-")

    def start(self, timeout: float = 10) -> None:
        import redis

        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", self._dir.name]
            + ["--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot stop
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """It keeps its port and accepts connections, and answers nothing."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        self._dir.cleanup()
