"""Progress of a long benchmark, printed as it goes: phase, page, elapsed, estimated time left.

A run announces its plan as work units with their expected seconds (a wrk run takes its
``--seconds``; a sequential series, a guess). Each step prints one line before it starts; the time
left is the plan's remaining seconds scaled by how fast the plan has gone so far.
"""

import sys
import time


def clock(seconds: float) -> str:
    """12:05 for 725 seconds; 1:02:05 past the hour."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


# The pace applied to the rest of the plan, within these bounds: a step far faster than its guess
# (a database kept from the last run) must not make the timed wrk runs ahead look free.
PACE = (1.0, 3.0)


def time_left(*, planned_total: float, planned_done: float, elapsed: float) -> float:
    """Seconds left: the plan's remainder, at the pace the done part of the plan actually took
    (as planned until something is done), never faster than planned nor over 3× slower."""
    remaining = max(0.0, planned_total - planned_done)
    if planned_done <= 0 or elapsed <= 0:
        return remaining
    return remaining * min(max(elapsed / planned_done, PACE[0]), PACE[1])


class Progress:
    def __init__(self, planned_total: float = 0.0, *, out=None, now=time.monotonic):
        self.planned_total = planned_total
        self.planned_done = 0.0
        self.now = now
        self.began = now()
        self.out = out or sys.stdout
        self._pending = 0.0

    def plan(self, seconds: float) -> None:
        """More work than planned at the start (found on the way)."""
        self.planned_total += seconds

    def line(self, phase: str, page: str = "") -> str:
        elapsed = self.now() - self.began
        left = time_left(
            planned_total=self.planned_total, planned_done=self.planned_done, elapsed=elapsed
        )
        what = f"{phase}: {page}" if page else phase
        return f"[{clock(elapsed)} elapsed, ~{clock(left)} left] {what}"

    def step(self, phase: str, page: str = "", *, seconds: float = 0.0) -> None:
        """Print the step about to run; ``seconds``: its share of the plan, counted as done at
        the next step (or at ``finish``)."""
        self.planned_done += self._pending
        self._pending = seconds
        print(self.line(phase, page), file=self.out, flush=True)

    def finish(self, phase: str = "done") -> None:
        self.planned_done += self._pending
        self._pending = 0.0
        print(self.line(phase), file=self.out, flush=True)
