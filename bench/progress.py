"""Progress of a long benchmark, printed as it goes: phase, page, elapsed, estimated time left.

A run announces its plan in seconds of two kinds: exact (a wrk run takes its ``--seconds``) and
guessed (building a database, a series of sequential requests). Each step prints one line as it
starts; the time left is the exact seconds still to come plus the guessed ones at the pace the
guessed steps so far actually took.
"""

import sys
import time

# Bounds of the pace applied to the guesses still to come: one far-off step must not make the
# rest look free or endless.
PACE = (0.25, 4.0)


def clock(seconds: float) -> str:
    """12:05 for 725 seconds; 1:02:05 past the hour."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def time_left(*, exact_left: float, guessed_left: float, guessed_done: float, took: float) -> float:
    """Seconds left: the exact seconds to come, plus the guessed ones scaled by how long the
    guessed steps done so far ``took`` against their guess (as guessed until one is done)."""
    pace = took / guessed_done if guessed_done > 0 and took > 0 else 1.0
    pace = min(max(pace, PACE[0]), PACE[1])
    return max(0.0, exact_left) + max(0.0, guessed_left) * pace


class Progress:
    def __init__(self, *, exact: float = 0.0, guessed: float = 0.0, out=None, now=time.monotonic):
        self.left = {"exact": exact, "guessed": guessed}
        self.guessed_done = 0.0
        self.took = 0.0  # seconds the guessed steps done so far actually took
        self.now = now
        self.began = now()
        self.out = out or sys.stdout
        self._current = None  # (kind, planned seconds, started)

    def plan(self, seconds: float, *, exact: bool = False) -> None:
        """Work found on the way (an install a run does only the first time)."""
        self.left["exact" if exact else "guessed"] += seconds

    def _close_step(self) -> None:
        if self._current is None:
            return
        kind, seconds, started = self._current
        self.left[kind] -= seconds
        if kind == "guessed":
            self.guessed_done += seconds
            self.took += self.now() - started
        self._current = None

    def line(self, phase: str, page: str = "") -> str:
        left = time_left(
            exact_left=self.left["exact"],
            guessed_left=self.left["guessed"],
            guessed_done=self.guessed_done,
            took=self.took,
        )
        what = f"{phase}: {page}" if page else phase
        return f"[{clock(self.now() - self.began)} elapsed, ~{clock(left)} left] {what}"

    def step(self, phase: str, page: str = "", *, seconds: float = 0.0, exact: bool = False):
        """Print the step about to run; ``seconds``: its part of the plan (``exact``: a wrk run's
        own length, else a guess), done when the next step starts or at ``finish``."""
        self._close_step()
        print(self.line(phase, page), file=self.out, flush=True)
        self._current = ("exact" if exact else "guessed", seconds, self.now())

    def finish(self, phase: str = "done") -> None:
        self._close_step()
        print(self.line(phase), file=self.out, flush=True)
