"""The timetable of a forum: each day a grid of its venues against the clock.

The admin runs under a Content-Security-Policy without inline styles, so a block is placed and
sized by classes (``tt-r<row>``, ``tt-re<row>``, ``tt-c<column>``, …) from a stylesheet made by
``grid_stylesheet()`` (static/css/timetable-grid.css, checked by a test): one row per five
minutes, one grid column per venue (more where a venue holds events at the same time, a
conflict the timetable shows side by side), and one for events without a venue.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from events.models import Event
from forum.models import Day, Venue
from secretariat.conflicts import Conflict
from secretariat.programme import Programme

SLOT_MINUTES = 5
SLOTS_PER_HOUR = 60 // SLOT_MINUTES
# Row 1 holds the venues' names; a day of 24 hours runs from row 2 to row 290.
FIRST_SLOT_ROW = 2
LAST_ROW = FIRST_SLOT_ROW + 24 * SLOTS_PER_HOUR
# Column 1 is the clock; the stylesheet places blocks in up to this many columns after it.
MAX_COLUMNS = 120


@dataclass
class Block:
    """An event in one of its venues' columns."""

    event: Event
    venue: Venue | None
    starts: dt.datetime
    ends: dt.datetime
    row: int
    end_row: int
    column: int = 0
    conflicts: int = 0
    warnings: int = 0

    @property
    def times(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


@dataclass
class Column:
    label: str
    venue: Venue | None
    blocks: list[Block] = field(default_factory=list)
    start: int = 0
    lanes: int = 1


@dataclass
class Hour:
    label: str
    row: int
    end_row: int


@dataclass
class TimetableDay:
    day: Day
    columns: list[Column]
    hours: list[Hour]
    untimed: list[Event]
    width: int

    @property
    def blocks(self) -> list[Block]:
        return [block for column in self.columns for block in column.blocks]


def forum_timetable(
    *, programme: Programme, conflicts: list[Conflict], kind: str = ""
) -> list[TimetableDay]:
    """Every day of the forum with its events (of one kind, if given) placed on the grid, each
    marked with how many conflicts and how many warnings concern it."""
    marks = Marks(
        conflicts=Counter(pk for c in conflicts if not c.is_warning for pk in c.events),
        warnings=Counter(pk for c in conflicts if c.is_warning for pk in c.events),
    )
    events = [e for e in programme.events.values() if not kind or e.kind == kind]
    for event in events:
        event.conflicts = marks.conflicts[event.pk]
        event.warnings = marks.warnings[event.pk]
    return [
        _timetable_day(programme, day, [e for e in events if e.day_id == day.pk], marks)
        for day in programme.days
    ]


@dataclass
class Marks:
    conflicts: Counter
    warnings: Counter


def _timetable_day(
    programme: Programme, day: Day, events: list[Event], marks: Marks
) -> TimetableDay:
    columns = [Column(label=str(venue), venue=venue) for venue in programme.venues.values()]
    columns.append(Column(label=_("No venue (online)"), venue=None))
    by_venue = {column.venue.pk: column for column in columns if column.venue}
    timed = [event for event in events if event.starts_at]
    midnight = dt.datetime.combine(day.date, dt.time(0), tzinfo=programme.forum.zone)
    first_hour = min((_hours_after(midnight, e.starts_at) for e in timed), default=0)
    first_hour = min(max(math.floor(first_hour), 0), 23)
    opens = midnight + dt.timedelta(hours=first_hour)
    last_row = FIRST_SLOT_ROW
    for event in timed:
        row = _row(opens, event.starts_at)
        end_row = max(_row(opens, event.ends_at, up=True), row + 1)
        venues = [by_venue[v.pk] for v in event.venues.all() if v.pk in by_venue] or [columns[-1]]
        for column in venues:
            column.blocks.append(
                Block(
                    event=event,
                    venue=column.venue,
                    starts=programme.local(event.starts_at),
                    ends=programme.local(event.ends_at),
                    row=row,
                    end_row=end_row,
                    conflicts=marks.conflicts[event.pk],
                    warnings=marks.warnings[event.pk],
                )
            )
        last_row = max(last_row, end_row)
    width = _place(columns)
    hours = []
    row = FIRST_SLOT_ROW
    while row < last_row:
        moment = opens + dt.timedelta(minutes=(row - FIRST_SLOT_ROW) * SLOT_MINUTES)
        end_row = min(row + SLOTS_PER_HOUR, LAST_ROW)
        hours.append(Hour(label=f"{moment:%H:%M}", row=row, end_row=end_row))
        row = end_row
    return TimetableDay(
        day=day,
        columns=columns,
        hours=hours,
        untimed=[event for event in events if not event.starts_at],
        width=width,
    )


def _hours_after(midnight: dt.datetime, moment: dt.datetime) -> float:
    return (moment - midnight).total_seconds() / 3600


def _row(opens: dt.datetime, moment: dt.datetime, *, up: bool = False) -> int:
    """The grid row of a moment: five-minute rows from the day's first hour, inside the day."""
    slots = (moment - opens).total_seconds() / 60 / SLOT_MINUTES
    slots = math.ceil(slots) if up else math.floor(slots)
    return min(max(FIRST_SLOT_ROW + slots, FIRST_SLOT_ROW), LAST_ROW)


def _place(columns: list[Column]) -> int:
    """Give each block a grid column: events of one venue at the same time (a conflict) go side
    by side in lanes of its column. Returns how many grid columns follow the clock."""
    start = 2
    for column in columns:
        lane_ends: list[int] = []
        for block in sorted(column.blocks, key=lambda b: (b.row, b.end_row)):
            lane = next((i for i, end in enumerate(lane_ends) if end <= block.row), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(block.end_row)
            else:
                lane_ends[lane] = block.end_row
            block.column = start + lane
        column.start = start
        column.lanes = max(len(lane_ends), 1)
        column.blocks.sort(key=lambda b: (b.row, b.column))
        start += column.lanes
    return min(start - 2, MAX_COLUMNS)


def grid_stylesheet() -> str:
    """The classes that place a timetable's blocks: static/css/timetable-grid.css is this."""
    lines = [
        "/* Made by secretariat.timetable.grid_stylesheet(); a test checks it is current. */",
        "/* Rows: grid-row-start and -end; columns: start, span; grids: their column count. */",
    ]
    lines += [f".tt-r{n}{{grid-row-start:{n}}}" for n in range(1, LAST_ROW + 1)]
    lines += [f".tt-re{n}{{grid-row-end:{n}}}" for n in range(2, LAST_ROW + 2)]
    lines += [f".tt-c{n}{{grid-column-start:{n}}}" for n in range(1, MAX_COLUMNS + 2)]
    lines += [f".tt-cs{n}{{grid-column-end:span {n}}}" for n in range(1, MAX_COLUMNS + 1)]
    columns = "grid-template-columns:var(--tt-clock) repeat({n},minmax(var(--tt-min),1fr))"
    lines += [f".tt-cols{n}{{{columns.format(n=n)}}}" for n in range(1, MAX_COLUMNS + 1)]
    return "\n".join(lines) + "\n"
