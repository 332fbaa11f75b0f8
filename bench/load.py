"""The load of `make bench`: sequential latency (requests, keep-alive) and throughput (wrk)."""

import json
import secrets
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

LUA = Path(__file__).resolve().parent / "requests.lua"


@dataclass
class Target:
    """One request of the benchmark: a name, a path and the headers it is sent with."""

    name: str
    path: str
    headers: dict = field(default_factory=dict)
    expect: int = 200
    # Another server than the run's (the raw WSGI ceiling's).
    base_url: str = ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[rank]


def latency_ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p99_ms": round(percentile(values, 0.99) * 1000, 2),
    }


def session() -> requests.Session:
    """A client that sends what wrk sends: no Accept-Encoding unless the target names one."""
    client = requests.Session()
    client.headers["Accept-Encoding"] = "identity"
    return client


def fresh_path(path: str, token: str) -> str:
    """The path with a query string of its own, as requests.lua makes it with WRK_UNIQUE."""
    return f"{path}{'&' if '?' in path else '?'}fresh={token}"


def sequential(base_url: str, target: Target, count: int, *, fresh: bool = False) -> dict:
    """``count`` requests one after another on one keep-alive session, after one warm-up; with
    ``fresh``, each at a URL of its own (no cache keyed by the URL answers it)."""
    client = session()
    base_url = target.base_url or base_url
    url = base_url + target.path
    check(client.get(url, headers=target.headers), target)
    times, size = [], 0
    run = secrets.token_hex(4)
    for n in range(count):
        if fresh:
            url = base_url + fresh_path(target.path, f"{run}-s-{n}")
        started = time.perf_counter()
        response = client.get(url, headers=target.headers)
        times.append(time.perf_counter() - started)
        check(response, target)
        # As sent: compressed when the target asked for it.
        size = int(response.headers.get("Content-Length", len(response.content)))
    return {**latency_ms(times), "bytes": size}


def first_reads(base_url: str, targets: list[Target]) -> dict:
    """One request to each of ``targets``, one after another, each timed: the first read of a
    page nobody asked for yet renders it."""
    client = session()
    times = []
    for target in targets:
        started = time.perf_counter()
        response = client.get((target.base_url or base_url) + target.path, headers=target.headers)
        times.append(time.perf_counter() - started)
        check(response, target)
    return {**latency_ms(times), "max_ms": round(max(times) * 1000, 2)}


def cold(base_url: str, target: Target, count: int, bump) -> dict:
    """The first request after a change, ``count`` times: ``bump()`` changes the programme."""
    client = session()
    times = []
    for _ in range(count):
        bump()
        started = time.perf_counter()
        response = client.get(base_url + target.path, headers=target.headers)
        times.append(time.perf_counter() - started)
        check(response, target)
    return latency_ms(times)


def check(response, target: Target) -> None:
    if response.status_code != target.expect:
        raise RuntimeError(
            f"{target.name}: {target.path} answered {response.status_code}, "
            f"expected {target.expect}"
        )


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    return path


def wrk(
    base_url: str,
    targets: list[Target],
    *,
    connections: int,
    seconds: int,
    work_dir: Path,
    timeout: int = 10,
    per_second: bool = False,
    fresh: bool = False,
) -> dict:
    """Throughput at ``connections`` connections for ``seconds``, rotating ``targets``; with
    ``per_second``, also [epoch second, answers, answers ≥ 400] for each second of the run; with
    ``fresh``, each request's URL is one no request had before (requests.lua, WRK_UNIQUE)."""
    base_url = targets[0].base_url or base_url
    request_file = work_dir / "wrk-requests.txt"
    request_file.write_text(
        "".join(
            "\t".join([t.path, *(f"{k}: {v}" for k, v in t.headers.items())]) + "\n"
            for t in targets
        )
    )
    threads = max(1, min(connections, 2))
    command = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "-s",
        str(LUA),
        base_url,
    ]
    output = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        env={
            "WRK_REQUESTS": str(request_file),
            "PATH": "/usr/bin:/bin",
            **({"WRK_PER_SECOND": "1"} if per_second else {}),
            **({"WRK_UNIQUE": secrets.token_hex(4)} if fresh else {}),
        },
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non_2xx_3xx": raw["status"],
        "socket_errors": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
        "mib_per_s": round(raw["bytes"] / seconds_run / 2**20, 1),
        **({"per_second": raw["per_second"]} if per_second else {}),
    }
