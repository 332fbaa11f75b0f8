"""The admin section of `make bench`: the secretariat's pages on the benchmark's dataset.

Signed in as a member of "Secretariat editors", against the gunicorn server of bench/web.py:
every changelist of the forum's data, the change forms with inlines (the event of 125
assignments, an agreement with its parties, the large forum with its days and venues, a delegate
with their assignments), the large forum's timetable and conflicts page, beside the trivial view
(/bench/ceiling) and the admin's index, measured in the same run. For each page: the SQL queries
of one request (in this process, Django's test Client and CaptureQueriesContext on the same
database) and the median and p99 of ``count`` sequential requests (keep-alive). A page the code
does not have (the timetable before it existed) is reported as missing, not as a failure of the
run. Writes its sections to var/bench/admin.json, which bench/report.py appends to the report.
"""

import json
from pathlib import Path

from bench import load, report

OUT = Path(__file__).resolve().parent.parent / "var" / "bench"
TARGET_MS = 250
TARGET_EVENT_QUERIES = 15
EDITOR = "bench-editor"


def editor_cookie() -> str:
    """A session of a secretariat editor, as the Cookie header's value."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from forum.permissions import EDITORS

    user, _created = User.objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def targets(year: int, cookie: str) -> list:
    """(group, Target) of every page the section times."""
    from django.contrib import admin

    from agreements.models import Agreement
    from delegates.models import Delegate
    from events.models import Event
    from forum.models import Forum
    from forum.permissions import DATA_APPS

    T = load.Target
    headers = {"Cookie": cookie}
    forum = Forum.objects.get(year=year)
    event = Event.objects.get(forum=forum, slug="section-1")
    agreement = Agreement.objects.filter(forum=forum).order_by("registry_number").first()
    delegate = Delegate.objects.get(external_id="BENCH-00000")
    found = [
        ("baseline", T("trivial view (/bench/ceiling)", "/bench/ceiling")),
        ("baseline", T("admin index", "/admin/", headers)),
    ]
    models = sorted(
        (model for model in admin.site._registry if model._meta.app_label in DATA_APPS),
        key=lambda model: model._meta.label,
    )
    for model in models:
        meta = model._meta
        path = f"/admin/{meta.app_label}/{meta.model_name}/"
        found.append(("changelist", T(f"list: {meta.label}", path, headers)))
    found += [
        (
            "change form",
            T(
                f"event with {event.assignments.count()} assignments",
                f"/admin/events/event/{event.pk}/change/",
                headers,
            ),
        ),
        (
            "change form",
            T(
                f"agreement with {agreement.parties.count()} parties",
                f"/admin/agreements/agreement/{agreement.pk}/change/",
                headers,
            ),
        ),
        (
            "change form",
            T(
                f"forum with {forum.days.count()} days and {forum.venues.count()} venues",
                f"/admin/forum/forum/{forum.pk}/change/",
                headers,
            ),
        ),
        (
            "change form",
            T(
                f"delegate with {delegate.assignments.count()} assignments",
                f"/admin/delegates/delegate/{delegate.pk}/change/",
                headers,
            ),
        ),
        ("workbench", T("timetable", f"/admin/forum/forum/{forum.pk}/timetable/", headers)),
        ("workbench", T("conflicts", f"/admin/forum/forum/{forum.pk}/conflicts/", headers)),
    ]
    return found


def queries_of(target) -> int | None:
    """The SQL queries of one request in this process; None when the page answers otherwise."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if "Cookie" in target.headers:
        name, value = target.headers["Cookie"].split("=", 1)
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target.path, secure=True)
    return len(captured) if response.status_code == 200 else None


def measure(base_url: str, *, year: int, count: int) -> list[dict]:
    """Time every page; write var/bench/admin.json; return its report sections."""
    from django.db import connection

    cookie = editor_cookie()
    rows, missing = [], []
    for group, target in targets(year, cookie):
        queries = queries_of(target)
        if queries is None:
            missing.append(target.name)
            continue
        timing = load.sequential(base_url, target, count)
        rows.append(
            [
                group,
                target.name,
                queries,
                timing["bytes"],
                timing["median_ms"],
                timing["p99_ms"],
                _verdict(group, target.name, timing["median_ms"], queries),
            ]
        )
    connection.close()
    note = (
        f"Signed in as a secretariat editor; {count} sequential requests per page after one "
        f"warm-up (keep-alive). Target: every changelist, change form, the timetable and the "
        f"conflicts page ≤ {TARGET_MS} ms median; the event of 125 assignments ≤ "
        f"{TARGET_EVENT_QUERIES} queries."
    )
    if missing:
        note += " Not in this code (answered other than 200): " + ", ".join(missing) + "."
    sections = [
        report.section(
            "Admin pages (signed in as a secretariat editor)",
            ["group", "page", "queries", "bytes", "median ms", "p99 ms", "target"],
            rows,
            note=note,
        )
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "admin.json").write_text(
        json.dumps({"sections": sections}, indent=1, ensure_ascii=False)
    )
    return sections


def _verdict(group: str, name: str, median_ms: float, queries: int) -> str:
    if group == "baseline":
        return ""
    ok = median_ms <= TARGET_MS
    if name.startswith("event with"):
        ok = ok and queries <= TARGET_EVENT_QUERIES
    return "pass" if ok else "FAIL"
