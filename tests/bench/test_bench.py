"""The pure parts of `make bench` and `make bench-peer`: progress, verdicts, reports, the raw
WSGI app and the unique URLs of fresh runs. Nothing here is timed."""

import io
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load, peer, raw, report, web
from bench.progress import Progress, clock, time_left


def test_time_left_is_the_plan_before_anything_is_done():
    assert time_left(exact_left=300, guessed_left=200, guessed_done=0, took=0) == 500


def test_time_left_scales_only_the_guesses_by_their_pace_so_far():
    # The guessed steps done took twice their guess; wrk runs take their seconds whatever.
    assert time_left(exact_left=300, guessed_left=100, guessed_done=50, took=100) == 500


def test_time_left_bounds_the_pace():
    assert time_left(exact_left=0, guessed_left=100, guessed_done=100, took=1) == 25
    assert time_left(exact_left=0, guessed_left=100, guessed_done=1, took=100) == 400


def test_time_left_is_never_negative():
    assert time_left(exact_left=-5, guessed_left=-10, guessed_done=10, took=10) == 0


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (725, "12:05"), (3725, "1:02:05")]
)
def test_clock(seconds, shown):
    assert clock(seconds) == shown


def test_progress_prints_phase_page_elapsed_and_time_left():
    ticks = iter([0, 0, 0, 60, 60, 70, 70, 80, 80])
    out = io.StringIO()
    progress = Progress(exact=20, guessed=60, out=out, now=lambda: next(ticks))
    progress.step("prepare", "database", seconds=30)
    progress.step("throughput (wrk)", "programme at c=8", seconds=10, exact=True)
    progress.plan(5)
    progress.step("throughput (wrk)", "event at c=8", seconds=10, exact=True)
    progress.finish()
    assert out.getvalue().splitlines() == [
        "[0:00 elapsed, ~1:20 left] prepare: database",
        # 30 guessed seconds took 60: the 30 guessed left will take 60, the 20 of wrk 20.
        "[1:00 elapsed, ~1:20 left] throughput (wrk): programme at c=8",
        # 5 more guessed seconds found on the way, at the same pace.
        "[1:10 elapsed, ~1:20 left] throughput (wrk): event at c=8",
        "[1:20 elapsed, ~1:10 left] done",
    ]


def throughput_of(**rps):
    return {name: {8: {"rps": a}, 32: {"rps": b}} for name, (a, b) in rps.items()}


def test_issue_16_targets_say_met_and_not_met_with_the_figures():
    raw_targets = {
        "programme": load.Target("raw 90000 B", "/?bytes=90000"),
        "programme (gzip)": load.Target("raw 9000 B", "/?bytes=9000"),
    }
    throughput = throughput_of(
        **{
            "programme": (2000, 1900),
            "raw 90000 B": (3000, 3000),
            "programme (gzip)": (1000, 3000),
            "raw 9000 B": (3500, 3500),
            "me (delegate)": (100, 400),
            "ceiling": (1000, 1000),
        }
    )
    sustain = {
        "rps": 310.0,
        "p99_ms": 400.0,
        "non_2xx_3xx": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }
    rows = web.issue_16_targets(
        throughput=throughput, raw_targets=raw_targets, connections=[8, 32], sustain=sustain
    )
    assert rows == [
        [
            "kept programme ≥ 0.6× raw WSGI (raw 90000 B), every c",
            "0.63× (c=32: 1900 / 3000 req/s)",
            "met",
        ],
        [
            "kept programme (gzip) ≥ 0.6× raw WSGI (raw 9000 B), every c",
            "0.29× (c=8: 1000 / 3500 req/s)",
            "NOT met",
        ],
        ["delegate's page ≥ 0.3× the trivial view at c=32", "0.40× (400 / 1000 req/s)", "met"],
        ["sustained ≥ 300 req/s", "310 req/s", "met"],
        ["sustained p99 ≤ 250 ms", "400 ms", "NOT met"],
        ["sustained: no error (non-2xx/3xx, socket errors)", 0, "met"],
    ]


def test_raw_of_kept_sets_each_kept_page_beside_its_own_size():
    pages = [load.Target(n, "/") for n in ("ceiling", "programme", "programme (gzip)", "regions")]
    latency = {"programme": {"bytes": 90000}, "programme (gzip)": {"bytes": 9000}}
    found = web.raw_of_kept(pages, latency, "http://127.0.0.1:1")
    assert {name: (t.path, t.base_url) for name, t in found.items()} == {
        "programme": ("/?bytes=90000", "http://127.0.0.1:1"),
        "programme (gzip)": ("/?bytes=9000", "http://127.0.0.1:1"),
    }


def test_peer_summary_takes_the_median_of_the_rounds_and_the_ratio():
    summary = peer.summarise({"programme": {"fresh": {"ours": [90, 30, 100], "peer": [9, 10]}}})
    assert summary == {"programme": {"fresh": {"ours": 90, "peer": 9.5, "ratio": 9.47}}}
    assert peer.met(summary["programme"]["fresh"]["ratio"], peer.TARGET_FRESH) == "NOT met"
    assert peer.met(10.0, peer.TARGET_FRESH) == "met"


def test_peer_config_names_the_port_it_is_asked_at(tmp_path):
    config = peer.peer_config(port=8632, data=tmp_path)
    assert "url = http://127.0.0.1:8632\n" in config
    assert "debug = False" in config
    assert "[redis]" not in config


def test_a_named_report_leaves_the_web_report_alone(tmp_path, capsys):
    (tmp_path / "import.json").write_text(json.dumps([{"rows": 1}]))
    section = report.section("Targets", ["target", "result"], [["fresh", "met"]])
    path = report.write("Beside the peer", [section], {"a": 1}, tmp_path, name="peer", extras=False)
    assert path == tmp_path / "peer.md"
    assert "| fresh | met |" in path.read_text()
    assert "import" not in path.read_text()
    assert json.loads((tmp_path / "peer.json").read_text())["a"] == 1
    assert not (tmp_path / "report.md").exists()


@pytest.mark.parametrize(
    ("query", "size"), [("bytes=90000", 90000), ("", 2), ("bytes=x", 2), ("bytes=-1", 2)]
)
def test_raw_app_answers_the_size_asked_for(query, size):
    started = []
    body = b"".join(raw.application({"QUERY_STRING": query}, lambda *args: started.append(args)))
    assert len(body) == size
    assert started[0][0] == "200 OK"
    assert ("Content-Length", str(size)) in started[0][1]


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/en/2027/programme/", "/en/2027/programme/?fresh=ab"), ("/?q=1", "/?q=1&fresh=ab")],
)
def test_fresh_path(path, expected):
    assert load.fresh_path(path, "ab") == expected


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    paths: list = []

    def do_GET(self):
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_fresh_wrk_run_asks_for_a_url_no_request_had(tmp_path):
    Recorder.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    targets = [load.Target("a", "/a/"), load.Target("b", "/b/?q=1")]
    try:
        first = load.wrk(base, targets, connections=2, seconds=1, work_dir=tmp_path, fresh=True)
        second = load.wrk(base, targets, connections=2, seconds=1, work_dir=tmp_path, fresh=True)
    finally:
        server.shutdown()
        thread.join()
    paths = Recorder.paths
    assert first["requests"] > 2 and second["requests"] > 2
    assert len(paths) == len(set(paths))  # across threads and across runs
    assert all(p.startswith(("/a/?fresh=", "/b/?q=1&fresh=")) for p in paths)
    assert {p.split("?")[0] for p in paths} == {"/a/", "/b/"}


def test_first_reads_ask_for_each_target_once_in_order():
    Recorder.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    targets = [load.Target("a", "/a/"), load.Target("b", "/b/?q=1", {"Cookie": "x=1"})]
    try:
        reads = load.first_reads(base, targets)
    finally:
        server.shutdown()
        thread.join()
    assert Recorder.paths == ["/a/", "/b/?q=1"]
    assert reads["n"] == 2 and 0 < reads["median_ms"] <= reads["max_ms"]


def test_web_report_sets_each_page_beside_both_ceilings(tmp_path, monkeypatch, capsys):
    written = report.write
    monkeypatch.setattr(
        report, "write", lambda *args, **kwargs: written(*args, out=tmp_path, **kwargs)
    )
    names = ["ceiling", "raw ceiling", "programme", "programme (gzip)", "me (delegate)"]
    names += ["schedule.json", "programme.ics", "304 programme"]
    pages = [load.Target(name, "/") for name in names]
    raw_targets = {
        "programme": load.Target("raw 90000 B", "/?bytes=90000"),
        "programme (gzip)": load.Target("raw 9000 B", "/?bytes=9000"),
    }
    rps = dict.fromkeys(names, 1000.0) | {"raw 90000 B": 2000.0, "raw 9000 B": 1500.0}
    rps |= {"programme": 1500.0, "me (delegate)": 200.0, "raw ceiling": 4000.0}
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    run = {"rps": 0.0, "mib_per_s": 1.0, "non_2xx_3xx": 0, "socket_errors": errors}
    throughput = {name: {c: {**run, "rps": value} for c in (8, 32)} for name, value in rps.items()}
    timing = {"median_ms": 2.0, "p99_ms": 5.0, "bytes": 100}
    sustain = {
        **run,
        "requests": 9000,
        "rps": 150.0,
        "p50_ms": 100.0,
        "p99_ms": 900.0,
        "edits": 30,
        "tracebacks": 0,
        "last_edit_visible": True,
        "first_reads": {"n": 40, "median_ms": 4.0, "p99_ms": 180.0, "max_ms": 210.4},
    }
    phase = {"seconds": 10, "requests": 100, "failures": 0, "rps": 10.0}
    fault = {
        **run,
        "requests": 300,
        "phases": dict.fromkeys(web.FAULT_NAMES, phase),
        "healthz_during": "503 cache",
        "tracebacks": 0,
        "cache_warnings": 2,
        "cache_back": 2,
    }
    web.write_report(
        warm_public=["programme", "programme (gzip)"],
        raw_targets=raw_targets,
        sizes=web.Sizes(),
        generated={},
        pages=pages,
        queries={name: {"cold": 5, "warm": 0} for name in names},
        latency=dict.fromkeys(names, timing),
        cold={"programme": timing, "schedule.json": timing},
        throughput=throughput,
        connections=[8, 32],
        sustain=sustain,
        fault=fault,
        phases={"total": 1.0},
        opts=web.argparse.Namespace(
            workers=2, requests=10, cold=3, seconds=1, sustain=10, only="all"
        ),
    )
    text = (tmp_path / "report.md").read_text()
    # programme: 1500 req/s, 1.5× the trivial view, 0.75× the raw app at its 90,000 bytes.
    assert (
        "| programme | 5 | 0 | 100 | 2.00 | 5.00 | 1,500.0 | 1,500.0 | 1.50 | 1.50 | 0.75 | 0.75 |"
    ) in text
    # The delegate's page: beside the raw app's 2 bytes (4000 req/s).
    assert (
        "| me (delegate) | 5 | 0 | 100 | 2.00 | 5.00 | 200.0 | 200.0 | 0.20 | 0.20 | 0.05 | 0.05 |"
    ) in text
    assert (
        "| kept programme ≥ 0.6× raw WSGI (raw 90000 B), every c "
        "| 0.75× (c=8: 1500 / 2000 req/s) | met |"
    ) in text
    assert (
        "| delegate's page ≥ 0.3× the trivial view at c=32 | 0.20× (200 / 1000 req/s) | NOT met |"
    ) in text
    assert "| sustained ≥ 300 req/s | 150 req/s | NOT met |" in text
    assert "| 9,000 | 150.0 | 100.0 | 900.0 | 0 | 0 | 30 | 0 | 1 | 4 / 210 |" in text
    data = json.loads((tmp_path / "web.json").read_text())
    assert data["raw_beside_kept"] == {"programme": "raw 90000 B", "programme (gzip)": "raw 9000 B"}


@pytest.mark.django_db
def test_the_in_process_query_counts_are_not_pages_readers_asked_for(private_redis):
    from django.core.cache import cache
    from django.test import override_settings

    from public import prerender
    from tests.factories import DayFactory, EventFactory, ForumFactory
    from tests.support.faults import caches

    event = EventFactory(day=DayFactory(forum=ForumFactory()), slug="section-1")
    target = load.Target("programme", f"/ru/{event.forum.year}/programme/")
    with override_settings(CACHES=caches(private_redis.url), PRERENDER_PAGES=60):
        assert web.query_counts([target], event.forum.year)["programme"]["cold"] > 0
        assert cache.recent(prerender.RECENT_KEY, since=0, limit=100) == []
