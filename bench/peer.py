"""`make bench-peer`: our public pages beside pretalx's, at equal size, in one run on this machine.

The peer is pretalx (https://pretalx.com; 2025.2.2 is AGPL-3.0-only with additional terms),
installed unmodified from PyPI into var/peers/ (git-ignored; pinned by bench/pretalx/
constraints.txt), run on 127.0.0.1 only and driven through its config file, its management
commands and its ORM (bench/pretalx/generate.py and queries.py, run by its own python); none of
its code is in this repository, and the forum never imports it. Steps:

1. The peer: a virtualenv with pretalx and gunicorn, pretalx.cfg (SQLite, debug off, its default
   cache: none), ``migrate``, ``rebuild`` (falls back to compilemessages + collectstatic when npm
   cannot reach its registry: the public pages need no vite bundle), and the event: ``--talks``
   talks over ``--days`` days in ``--rooms`` rooms, a speaker each, a second on every fifth.
2. Ours: a fresh PostgreSQL database (``--database``) with the same-size forum (bench/data.py:
   ``--talks`` events over ``--days`` days, ~140 delegates), production settings, a private
   redis-server, gunicorn from deploy/gunicorn.conf.py.
3. Both served by gunicorn, 2 sync workers each, beside bench/raw.py (a constant body of each
   page's size, on our gunicorn configuration), and measured alternately (ours, the peer, ours,
   the peer, ``--rounds`` times) with wrk at ``--connections``: each pair fresh (a query string
   no request had: nothing kept can answer) and warm (the same URL); sequential medians; SQL
   queries per request in-process (CaptureQueriesContext) on each side.
4. Writes var/bench/peer.md and var/bench/peer.json: ratios ours/peer and whether fresh meets
   ``TARGET_FRESH`` (10×).

    .venv/bin/python bench/peer.py [--seconds 10 --rounds 2 --port 8632 --skip-setup]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report  # noqa: E402
from bench.progress import Progress  # noqa: E402

OUT = ROOT / "var" / "bench"
PEERS = ROOT / "var" / "peers"
HERE = Path(__file__).resolve().parent / "pretalx"
CONSTRAINTS = HERE / "constraints.txt"
PRETALX = "pretalx==2025.2.2"
GUNICORN = "gunicorn==27.0.1"
TARGET_FRESH = 10.0
# pretalx answers its schedule in plain text to a request without Accept: both sides get this.
HEADERS = {"Accept": "text/html"}


@dataclass
class Pair:
    """A page of ours and the peer's page that does the same job."""

    name: str
    ours: load.Target
    peer: load.Target
    raw: load.Target = field(default=None)


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/forum_bench_peer")
    parser.add_argument("--port", type=int, default=8632, help="the peer's port (in its config)")
    parser.add_argument("--talks", type=int, default=120)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--rooms", type=int, default=6, help="the peer's rooms")
    parser.add_argument("--venues", type=int, default=10, help="ours (7 slots a day at most)")
    parser.add_argument("--delegates", type=int, default=140)
    parser.add_argument("--assignments", type=int, default=240)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds of wrk runs")
    parser.add_argument("--requests", type=int, default=30, help="sequential, per page and mode")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the peer and database")
    return parser.parse_args()


# --- the peer ------------------------------------------------------------------------------


# Before our own Django's settings enter os.environ: pretalx must not read DJANGO_SETTINGS_MODULE,
# DATABASE_URL or REDIS_URL meant for ours.
_CLEAN_ENV = {
    name: value
    for name, value in os.environ.items()
    if not name.startswith("DJANGO_") and name not in ("DATABASE_URL", "REDIS_URL")
}


def peer_env() -> dict:
    return {**_CLEAN_ENV, "PRETALX_CONFIG_FILE": str(PEERS / "pretalx.cfg")}


def peer_config(*, port: int, data: Path) -> str:
    """pretalx.cfg: SQLite, debug off, no [redis] (its default: nothing cached). site.url must
    be the address it is asked at: pretalx answers 404 to any other Host."""
    return (
        f"[filesystem]\ndata = {data}\nstatic = {data / 'static'}\n\n"
        f"[site]\ndebug = False\nurl = http://127.0.0.1:{port}\n\n"
        "[database]\nbackend = sqlite3\n\n[mail]\nfrom = peer@localhost\n"
    )


def setup_peer(opts, progress: Progress) -> dict:
    venv = PEERS / "pretalx-venv"
    python = venv / "bin" / "python"
    data = PEERS / "pretalx-data"
    data.mkdir(parents=True, exist_ok=True)
    if not python.exists():
        progress.plan(5)
        progress.step("peer setup", "virtualenv", seconds=5)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [str(python), "-m", "pip", "show", "pretalx"], capture_output=True, text=True
    ).stdout
    if f"Version: {PRETALX.split('==')[1]}" not in installed:
        progress.plan(120)
        progress.step("peer setup", f"pip install {PRETALX} {GUNICORN}", seconds=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS)]
            + [PRETALX, GUNICORN],
            check=True,
        )
    (PEERS / "pretalx.cfg").write_text(peer_config(port=opts.port, data=data))
    env = peer_env()
    progress.step("peer setup", "migrate", seconds=60)
    subprocess.run(
        [str(python), "-m", "pretalx", "migrate", "--noinput"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not (data / "static" / "staticfiles.json").exists():
        progress.plan(90)
        progress.step("peer setup", "rebuild (static files)", seconds=90)
        rebuilt = subprocess.run(
            [str(python), "-m", "pretalx", "rebuild", "--silent"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        if rebuilt.returncode:
            # Without the npm registry the organiser's schedule editor cannot be built; the
            # public pages need only the collected static files and the compiled messages.
            print("pretalx rebuild failed (npm registry?): compilemessages + collectstatic")
            subprocess.run([str(python), "-m", "pretalx", "compilemessages", "-v", "0"], env=env)
            subprocess.run(
                [str(python), "-m", "pretalx", "collectstatic", "--noinput", "-v", "0"],
                env=env,
                check=True,
            )
    progress.step("peer setup", f"generate {opts.talks} talks", seconds=30)
    made = subprocess.run(
        [str(python), str(HERE / "generate.py"), "--talks", str(opts.talks)]
        + ["--rooms", str(opts.rooms), "--days", str(opts.days), "--slug", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(made.strip().splitlines()[-1])


class PeerServer:
    """pretalx under gunicorn: 2 sync workers, as ours; gunicorn 27 would open a control socket
    in ~/.gunicorn without --no-control-socket."""

    def __init__(self, *, port: int, log_path: Path, workers: int = 2):
        self.base_url = f"http://127.0.0.1:{port}"
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(PEERS / "pretalx-venv" / "bin" / "gunicorn"), "pretalx.wsgi"]
            + ["--workers", str(workers), "--worker-class", "sync"]
            + ["--bind", f"127.0.0.1:{port}", "--no-control-socket"],
            env=peer_env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.base_url + "/bench/", headers=HEADERS).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("pretalx did not answer; see var/bench/gunicorn-peer.log")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self._log.close()

    def __exit__(self, *exc):
        self.stop()


def peer_queries(paths: list[str], port: int) -> dict:
    python = PEERS / "pretalx-venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), str(HERE / "queries.py"), "--host", f"127.0.0.1:{port}", *paths],
        env=peer_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(found.strip().splitlines()[-1])


# --- ours ----------------------------------------------------------------------------------


def our_queries(targets: list[load.Target]) -> dict:
    """Queries of one request at a URL of its own (fresh) and of the next at it (warm), in this
    process as bench/web.py counts them: the test Client passes no front cache."""
    import secrets

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT="text/html")
    counts = {}
    for target in targets:
        url = load.fresh_path(target.path, secrets.token_hex(4))
        found = {}
        for name in ("fresh", "warm"):
            with CaptureQueriesContext(connection) as caught:
                response = client.get(url)
            found[name] = len(caught)
        if response.status_code != 200:
            raise RuntimeError(f"{target.path} answered {response.status_code} in-process")
        counts[target.path] = found
    connection.close()
    return counts


# --- the figures ---------------------------------------------------------------------------


def ratio(ours: float, peer: float) -> float:
    return round(ours / peer, 2) if peer else 0.0


def met(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def summarise(pairs_runs: dict) -> dict:
    """{pair: {mode: {"ours": [rps...], "peer": [...]}}} → medians of the rounds and ratios."""
    import statistics

    out = {}
    for name, modes in pairs_runs.items():
        out[name] = {}
        for mode, sides in modes.items():
            rps = {side: round(statistics.median(runs), 1) for side, runs in sides.items()}
            out[name][mode] = {**rps, "ratio": ratio(rps.get("ours", 0), rps.get("peer", 0))}
    return out


def rows(pairs: list[Pair], summary: dict, medians: dict, queries: dict, raw: dict) -> list:
    result = []
    for pair in pairs:
        s, m = summary[pair.name], medians[pair.name]
        q_ours, q_peer = queries["ours"][pair.ours.path], queries["peer"][pair.peer.path]
        result.append(
            [
                pair.name,
                pair.peer.path,
                m["ours"]["bytes"],
                m["peer"]["bytes"],
                f"{m['ours']['fresh_ms']} / {m['peer']['fresh_ms']}",
                f"{m['ours']['warm_ms']} / {m['peer']['warm_ms']}",
                f"{s['fresh']['ours']} / {s['fresh']['peer']}",
                s["fresh"]["ratio"],
                met(s["fresh"]["ratio"], TARGET_FRESH),
                f"{s['warm']['ours']} / {s['warm']['peer']}",
                s["warm"]["ratio"],
                f"{q_ours['fresh']}, {q_ours['warm']} / {q_peer['fresh']}, {q_peer['warm']}",
                raw.get(pair.name, 0.0),
                ratio(s["warm"]["ours"], raw.get(pair.name, 0.0)),
            ]
        )
    return result


HEADERS_OF_ROWS = [
    "pair",
    "peer's URL",
    "bytes ours",
    "bytes peer",
    "median ms fresh (ours / peer)",
    "median ms warm",
    "req/s fresh (ours / peer)",
    "× peer fresh",
    f"fresh ≥ {TARGET_FRESH:.0f}×",
    "req/s warm (ours / peer)",
    "× peer warm",
    "queries fresh, warm (ours / peer)",
    "raw WSGI req/s (same size)",
    "ours warm × raw",
]


# --- the run -------------------------------------------------------------------------------


def main() -> None:
    opts = options()
    OUT.mkdir(parents=True, exist_ok=True)
    PEERS.mkdir(parents=True, exist_ok=True)
    wrk_runs = 4 * (2 * 2 + 1) * opts.rounds
    progress = Progress(
        exact=wrk_runs * opts.seconds,
        guessed=(0 if opts.skip_setup else 90) + 90 + 20 + 8 * 10,
    )
    generated = {} if opts.skip_setup else setup_peer(opts, progress)
    result = measure(opts, progress, generated)
    progress.finish("written var/bench/peer.md")
    return result


def measure(opts, progress: Progress, generated: dict) -> None:
    from bench.data import Sizes
    from bench.server import RedisServer, Server, free_port, production_env
    from bench.web import django_setup, flush_redis, prepare

    sizes = Sizes(
        days=opts.days,
        venues=opts.venues,
        events=opts.talks,
        delegates=opts.delegates,
        assignments=opts.assignments,
        agreements=0,
        archive_agreements=0,
    )
    with RedisServer() as redis_server:
        env = production_env(database_url=opts.database, redis_url=redis_server.url)
        django_setup(env)
        progress.step("ours", f"database and the forum of {opts.talks} events", seconds=90)
        phases = {}
        prepare(
            argparse.Namespace(database=opts.database, keep_db=opts.skip_setup),
            sizes,
            phases,
            demo=False,
        )
        flush_redis(redis_server.url)
        from django.db import connection

        connection.close()
        year = sizes.year
        peer_log, our_log, raw_log = (
            OUT / "gunicorn-peer.log",
            OUT / "gunicorn-ours.log",
            OUT / "gunicorn-raw.log",
        )
        for path in (peer_log, our_log, raw_log):
            path.write_bytes(b"")
        with (
            Server(env=env, port=free_port(), log_path=our_log) as ours,
            Server(
                env=env, port=free_port(), log_path=raw_log, app="bench.raw:application"
            ) as raw_server,
            PeerServer(port=opts.port, log_path=peer_log) as peer,
        ):
            code = (
                generated.get("talk_code")
                or requests.get(f"{peer.base_url}/bench/schedule/widgets/schedule.json").json()[
                    "talks"
                ][0]["code"]
            )
            T = load.Target
            pairs = [
                Pair(
                    "programme",
                    T("programme", f"/en/{year}/programme/", dict(HEADERS)),
                    T("schedule/nojs", "/bench/schedule/nojs", dict(HEADERS)),
                ),
                Pair(
                    "schedule.json",
                    T("schedule.json", f"/en/{year}/schedule.json", dict(HEADERS)),
                    T("export", "/bench/schedule/export/schedule.json", dict(HEADERS)),
                ),
                Pair(
                    "programme.ics",
                    T("programme.ics", f"/en/{year}/programme.ics", dict(HEADERS)),
                    T("schedule.ics", "/bench/schedule.ics", dict(HEADERS)),
                ),
                Pair(
                    "event page",
                    T("event", f"/en/{year}/events/section-1/", dict(HEADERS)),
                    T("talk", f"/bench/talk/{code}/", dict(HEADERS)),
                ),
            ]
            progress.step("queries", "ours and the peer, in-process", seconds=20)
            queries = {
                "ours": our_queries([p.ours for p in pairs]),
                "peer": peer_queries([p.peer.path for p in pairs], opts.port),
            }
            medians = {}
            for pair in pairs:
                medians[pair.name] = {}
                for side, server, target in (
                    ("ours", ours, pair.ours),
                    ("peer", peer, pair.peer),
                ):
                    progress.step("sequential medians", f"{pair.name}: {side}", seconds=10)
                    fresh = load.sequential(server.base_url, target, opts.requests, fresh=True)
                    warm = load.sequential(server.base_url, target, opts.requests)
                    medians[pair.name][side] = {
                        "fresh_ms": fresh["median_ms"],
                        "warm_ms": warm["median_ms"],
                        "bytes": warm["bytes"],
                    }
                pair.raw = T("raw", f"/?bytes={medians[pair.name]['ours']['bytes']}")
            runs = {p.name: {m: {"ours": [], "peer": []} for m in ("fresh", "warm")} for p in pairs}
            raw = {p.name: [] for p in pairs}
            details = []
            for round_ in range(opts.rounds):
                for pair in pairs:
                    for mode in ("fresh", "warm"):
                        for side, server, target in (
                            ("ours", ours, pair.ours),
                            ("peer", peer, pair.peer),
                        ):
                            progress.step(
                                f"wrk round {round_ + 1}/{opts.rounds}",
                                f"{pair.name} {mode}: {side} ({target.path})",
                                seconds=opts.seconds,
                                exact=True,
                            )
                            found = load.wrk(
                                server.base_url,
                                [target],
                                connections=opts.connections,
                                seconds=opts.seconds,
                                work_dir=OUT,
                                fresh=mode == "fresh",
                            )
                            errors = found["non_2xx_3xx"] + sum(found["socket_errors"].values())
                            if errors:
                                print(f"  {errors} errors or non-2xx/3xx answers")
                            runs[pair.name][mode][side].append(found["rps"])
                            details.append(
                                {
                                    "round": round_ + 1,
                                    "pair": pair.name,
                                    "mode": mode,
                                    "side": side,
                                    **found,
                                }
                            )
                    progress.step(
                        f"wrk round {round_ + 1}/{opts.rounds}",
                        f"{pair.name}: raw WSGI, {pair.raw.path}",
                        seconds=opts.seconds,
                        exact=True,
                    )
                    found = load.wrk(
                        raw_server.base_url,
                        [pair.raw],
                        connections=opts.connections,
                        seconds=opts.seconds,
                        work_dir=OUT,
                    )
                    raw[pair.name].append(found["rps"])
    import statistics

    summary = summarise(runs)
    raw_rps = {name: round(statistics.median(values), 1) for name, values in raw.items()}
    write_peer_report(
        opts=opts,
        sizes=sizes,
        generated=generated,
        pairs=pairs,
        summary=summary,
        medians=medians,
        queries=queries,
        raw=raw_rps,
        details=details,
    )


def write_peer_report(*, opts, sizes, generated, pairs, summary, medians, queries, raw, details):
    verdicts = [
        [
            f"{p.name} fresh ≥ {TARGET_FRESH:.0f}× the peer ({p.peer.path})",
            f"{summary[p.name]['fresh']['ratio']}× ({summary[p.name]['fresh']['ours']} / "
            f"{summary[p.name]['fresh']['peer']} req/s)",
            met(summary[p.name]["fresh"]["ratio"], TARGET_FRESH),
        ]
        for p in pairs
    ]
    sections = [
        report.section(
            "Setup",
            ["what", "value"],
            [
                [
                    "ours",
                    f"forum {sizes.year}: {sizes.events} events over {sizes.days} days in "
                    f"{sizes.venues} venues, {sizes.delegates} delegates, {sizes.assignments} "
                    "assignments; gunicorn (deploy/gunicorn.conf.py), 2 sync workers, "
                    "production settings, PostgreSQL, a private Redis",
                ],
                [
                    "peer",
                    f"{PRETALX} from PyPI (var/peers/), event /bench/: {opts.talks} talks over "
                    f"{opts.days} days in {opts.rooms} rooms, "
                    f"{generated.get('speakers', '?')} speakers "
                    f"({generated.get('speaker_links', '?')} talk–speaker links); gunicorn, "
                    "2 sync workers, SQLite, no cache (its default)",
                ],
                ["raw WSGI", "bench/raw.py on deploy/gunicorn.conf.py, 2 sync workers"],
                [
                    "load",
                    f"wrk -c{opts.connections}, {opts.seconds} s a run, {opts.rounds} rounds "
                    "alternating ours and the peer (medians of the rounds); fresh: a query "
                    "string no request had, warm: the same URL; every request sends "
                    "Accept: text/html",
                ],
                [
                    "medians",
                    f"{opts.requests} sequential requests per page and mode (keep-alive)",
                ],
                [
                    "queries",
                    "in each app's own process: Django's test Client + CaptureQueriesContext "
                    "(ours passes no front cache there)",
                ],
                ["machine", f"{os.cpu_count()} cores shared by both servers, wrk and PostgreSQL"],
            ],
        ),
        report.section("Targets", ["target", "measured", "result"], verdicts),
        report.section(
            "Side by side",
            HEADERS_OF_ROWS,
            rows(pairs, summary, medians, queries, raw),
            note="× peer: our requests per second over the peer's (wrk medians of the rounds). "
            "The raw WSGI app answers a constant body of our page's size on the same gunicorn "
            "configuration.",
        ),
    ]
    data = {
        "sizes": sizes.__dict__,
        "peer": generated,
        "summary": summary,
        "medians": medians,
        "queries": queries,
        "raw": raw,
        "runs": details,
        "targets": {p.name: summary[p.name]["fresh"]["ratio"] >= TARGET_FRESH for p in pairs},
    }
    report.write(
        "Forum of Regions beside pretalx",
        sections,
        data,
        name="peer",
        extras=False,
    )


if __name__ == "__main__":
    main()
