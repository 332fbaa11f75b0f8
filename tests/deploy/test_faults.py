"""The app as production runs it (gunicorn, DJANGO_DEBUG=0), hurt: started on a cache that
refuses connections and on one that never answers; secret addresses posted to and forged paths
sent, its log read afterwards.

The servers use a SQLite file of their own with the demo (made once for this module), so this
runs without PostgreSQL; the cache that works, for the reference answers, is a private
redis-server (never the shared one).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bench.server import REDIS_SERVER, RedisServer, Server, collect_static, production_env
from tests.public.pages import PAGES, missing_tool
from tests.support.faults import SilentServer, refusing_url
from tests.support.servers import Browser

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
FEEDS = ("2020/programme.ics", "2020/schedule.json", "2020/events/plenary-session.ics")
# On no programme: issuing their links (which saves them) leaves every page's version as it was.
DELEGATE = "outage@example.org"
MAKE_DELEGATE = (
    "from delegates.models import Delegate; Delegate.objects.create(last_name='Сбоева', "
    f"first_name='Анна', country='BY', category='guest', email='{DELEGATE}')"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """The environment of a production server on a SQLite file holding the demo."""
    if not REDIS_SERVER:
        missing_tool("redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("site")
    env = production_env(
        database_url=f"sqlite:///{folder / 'db.sqlite3'}",
        redis_url="",
        # Long: an outage must cost each worker one attempt, whatever the test's pace.
        DJANGO_CACHE_RETRY_SECONDS=600,
    )
    for command in (["migrate", "--no-input"], ["load_demo"], ["shell", "-c", MAKE_DELEGATE]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    collect_static(env)
    return env


def serve(site: dict, redis_url: str, log_path: Path) -> Server:
    from bench.server import free_port

    return Server(
        env={**site, "REDIS_URL": redis_url},
        port=free_port(),
        log_path=log_path,
        workers=WORKERS,
        healthy=False,
    )


def every_page() -> list[str]:
    return [f"/{lang}/{page}" for lang in ("ru", "be", "en") for page in (*PAGES, *FEEDS)]


def answers(server: Server) -> dict[str, tuple[int, str]]:
    # Twice: the second is what a warm cache (or none) answers.
    for _ in range(2):
        found = {
            path: (r.status_code, r.text.replace(server.base_url, "SERVER"))
            for path in every_page()
            for r in [requests.get(server.base_url + path, timeout=30)]
        }
    return found


def new_link(site: dict, server: Server, delegate: str) -> str:
    printed = subprocess.run(
        [sys.executable, "manage.py", "delegate_link", delegate, "--base-url", server.base_url],
        cwd=ROOT,
        env=site,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.search(r"http://\S+", printed).group(0)


def sign_in_by_link(site: dict, server: Server, delegate: str = DELEGATE) -> requests.Response:
    """A delegate opens a new personal link and presses its button; their page."""
    link = new_link(site, server, delegate)
    browser = Browser()
    page = browser.request("GET", link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    opened = browser.request("POST", link, data={"csrfmiddlewaretoken": token})
    assert opened.status_code == 302, opened.text[:500]
    return browser.request("GET", server.base_url + opened.headers["Location"])


@pytest.fixture(scope="module")
def usual(site, tmp_path_factory) -> dict:
    """Every page as a server with a working cache answers it."""
    log = tmp_path_factory.mktemp("usual") / "gunicorn.log"
    with RedisServer() as cache, serve(site, cache.url, log) as server:
        found = answers(server)
    assert all(status == 200 for path, (status, _) in found.items() if "2099" not in path)
    return found


@pytest.mark.parametrize("fault", ["refuses connections", "never answers"])
def test_a_server_started_on_a_failing_cache_serves_every_page_as_usual(
    site, usual, tmp_path, fault
):
    silent = SilentServer()
    url = refusing_url() if fault == "refuses connections" else silent.url
    log = tmp_path / "gunicorn.log"
    try:
        with serve(site, url, log) as server:
            healthz = requests.get(server.base_url + "/healthz", timeout=10)
            found = answers(server)
            me = sign_in_by_link(site, server)
    finally:
        silent.close()

    assert healthz.status_code == 503
    assert healthz.json() == {"status": "unavailable", "failing": ["cache"]}
    assert found == usual
    assert me.status_code == 200 and "Сбоева" in me.text
    text = log.read_text()
    assert "Traceback" not in text
    # One warning per worker for the whole outage; one attempt per worker, not one per request.
    assert 1 <= text.count("does not answer") <= WORKERS
    if fault == "never answers":
        assert 1 <= len(silent.connections) <= WORKERS


def test_the_log_keeps_no_secret_and_no_forged_line(site, tmp_path):
    log = tmp_path / "gunicorn.log"
    with serve(site, "", log) as server:
        base = server.base_url
        me = sign_in_by_link(site, server, "SAMPLE-001")
        calendar = re.search(r'href="(/\w+/me/calendar/[\w-]+\.ics)"', me.text).group(1)
        link = new_link(site, server, "SAMPLE-002")
        reset = f"{base}/ru/accounts/reset/Mg/d3m0-0123456789abcdef0123456789abcdef/"
        secrets = [
            link.rstrip("/").rsplit("/", 1)[1],
            calendar.rsplit("/", 1)[1].removesuffix(".ics"),
            "d3m0-0123456789abcdef0123456789abcdef",
        ]
        for url in (link, base + calendar, reset):
            requests.post(url, data={"x": "1"}, headers={"Referer": url}, timeout=10)
            requests.get(url + "x/", headers={"User-Agent": f"agent {url}"}, timeout=10)
        requests.get(base + "/ru/ends-in-a-backslash%5C", timeout=10)
        requests.get(
            base + "/ru/nowhere%0Atime=2026 level=INFO forged%00line/?q=%0Aforged",
            # gunicorn refuses ASCII control characters in a header, not the C1 ones (NEL, CSI).
            headers={"User-Agent": 'agent" status=200 \x85\x9b2J'},
            timeout=10,
        )

    text = log.read_text(errors="strict")
    for secret in secrets:
        assert secret not in text
    assert "/me/link/[redacted]" in text and "/me/calendar/[redacted]" in text
    assert "/accounts/reset/[redacted]" in text
    assert "forbidden" in text.lower(), "the CSRF refusals are logged"
    # Every line is one record: none begins with what the request forged.
    assert not any(line.startswith(("time=2026 ", "forged")) for line in text.splitlines())
    assert not any(char in text for char in "\x00\x85\x9b")
    assert "/ru/nowhere\\x0atime=2026 level=INFO forged\\x00line/" in text
    assert 'agent="agent\\" status=200 \\x85\\x9b2J"' in text
    assert 'path="/ru/ends-in-a-backslash\\\\" query=' in text


def test_a_server_logs_a_wrong_host_in_one_line_and_keeps_no_socket_in_home(site, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    log = tmp_path / "gunicorn.log"
    with serve({**site, "HOME": str(home)}, "", log) as server:
        for _ in range(3):
            answer = requests.get(server.base_url + "/ru/", headers={"Host": "evil.example"})
            assert answer.status_code == 400

    text = log.read_text()
    assert text.count("Invalid HTTP_HOST header: 'evil.example'") == 3
    assert "Traceback" not in text
    # gunicorn 27's control socket would be ~/.gunicorn/gunicorn.ctl, one for every server.
    assert list(home.iterdir()) == []
