"""`make bench`: how fast the secretariat's imports are, measured side by side in one run.

Imports 1,000 and 10,000 delegates from generated XLSX files through the code path the admin
uses (read the file with sheets.formats.XLSX within the limits, find its header, then
DelegateResource.import_data, which works out what each row changes: a dry run for the preview,
then the confirmed import in one transaction), and times the same rows inserted with a
plain bulk_create, the ceiling on this machine. Peak memory (tracemalloc) is measured in a
separate pass so that tracing does not slow the timed one. Runs on a throw-away test database
(SQLite in memory, or test_<name> on PostgreSQL when DATABASE_URL points there).

    .venv/bin/python bench/run.py [--sizes 1000,10000]
"""

import argparse
import gc
import io
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.progress import Progress  # noqa: E402
from delegates.models import Delegate  # noqa: E402
from delegates.resources import DELEGATE_COLUMNS, DelegateResource  # noqa: E402
from sheets.formats import XLSX  # noqa: E402

REGIONS = ["BY-MI", "BY-HM", "BY-BR", "RU-MOW", "RU-SPE", "RU-SMO"]


def rows(n: int):
    for i in range(n):
        region = REGIONS[i % len(REGIONS)]
        values = {
            "external_id": f"D{i:06d}",
            "email": f"delegate{i}@example.org",
            "last_name_ru": f"Фамилия{i}",
            "last_name_en": f"Surname{i}",
            "first_name_ru": "Имя",
            "first_name_en": "Name",
            "middle_name_ru": "Отчество",
            "country": region[:2],
            "region": region,
            "category": "deputy",
            "position_ru": "депутат",
            "organisation_ru": "Парламент",
            "phone": "+375 17 000 00 00",
            "language": "ru",
            "is_sample": True,
        }
        yield [values.get(column, "") for column in DELEGATE_COLUMNS]


def xlsx(n: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(DELEGATE_COLUMNS))
    for row in rows(n):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ceiling(n: int) -> None:
    """The same rows straight into the table: no file, no checks."""
    from forum.models import Region

    regions = {region.code: region for region in Region.objects.filter(code__in=REGIONS)}
    with transaction.atomic():
        Delegate.objects.bulk_create(
            [
                Delegate(
                    **{
                        column: (regions[value] if column == "region" else value)
                        for column, value in zip(DELEGATE_COLUMNS, row, strict=True)
                    }
                )
                for row in rows(n)
            ],
            batch_size=1000,
        )


def read(data: bytes):
    return DelegateResource().dataset(XLSX().read(data))


def admin_import(data: bytes, *, dry_run: bool):
    dataset = read(data)
    result = DelegateResource().import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    assert not result.has_errors() and not result.has_validation_errors(), result
    return result


def timed(function, *args, **kwargs) -> float:
    gc.collect()
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def peak_mib(function, *args, **kwargs) -> float:
    gc.collect()
    tracemalloc.start()
    function(*args, **kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def clear():
    Delegate.objects.all().delete()


def measure(n: int) -> dict:
    data = xlsx(n)
    figures = {"rows": n, "file_kib": len(data) / 1024}
    clear()
    figures["ceiling"] = timed(ceiling, n)
    clear()
    figures["read"] = timed(read, data)
    figures["preview"] = timed(admin_import, data, dry_run=True)
    figures["confirm"] = timed(admin_import, data, dry_run=False)
    assert Delegate.objects.count() == n
    figures["reimport"] = timed(admin_import, data, dry_run=False)  # every row an update
    assert Delegate.objects.count() == n
    clear()
    figures["peak_preview_mib"] = peak_mib(admin_import, data, dry_run=True)
    figures["peak_confirm_mib"] = peak_mib(admin_import, data, dry_run=False)
    clear()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]

    # Guesses for the progress lines: the test database, then seconds per row of all the steps.
    progress = Progress(guessed=30 + 0.008 * sum(sizes))
    progress.step("import", "a test database", seconds=30)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        results = []
        for n in sizes:
            progress.step("import", f"{n:,} delegates from XLSX", seconds=0.008 * n)
            results.append(measure(n))
        progress.finish("import timed")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}")
    header = (
        f"{'rows':>7} {'bulk_create':>11} {'read xlsx':>9} {'preview':>8} {'confirm':>8} "
        f"{'re-import':>9} {'confirm/ceiling':>15} {'peak preview':>12} {'peak confirm':>12}"
    )
    print(header)
    for f in results:
        print(
            f"{f['rows']:>7} {f['ceiling']:>10.2f}s {f['read']:>8.2f}s {f['preview']:>7.2f}s "
            f"{f['confirm']:>7.2f}s {f['reimport']:>8.2f}s {f['confirm'] / f['ceiling']:>14.1f}x "
            f"{f['peak_preview_mib']:>9.1f} MiB {f['peak_confirm_mib']:>9.1f} MiB"
        )
    # For bench/web.py's report, which adds every var/bench/*.json it finds.
    out = Path(__file__).resolve().parent.parent / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    table = [
        {
            "database": connection.vendor,
            "rows": f["rows"],
            "bulk_create s": round(f["ceiling"], 2),
            "preview s": round(f["preview"], 2),
            "confirm s": round(f["confirm"], 2),
            "re-import s": round(f["reimport"], 2),
            "confirm / bulk_create": round(f["confirm"] / f["ceiling"], 2),
            "peak memory MiB": round(f["peak_confirm_mib"], 1),
        }
        for f in results
    ]
    (out / "import.json").write_text(json.dumps(table, indent=2), encoding="utf-8")
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["rows"] / small["rows"]
        per_row = [1024 * f["peak_confirm_mib"] / f["rows"] for f in (small, large)]
        print(
            f"{growth:.0f}x the rows: peak memory per row {per_row[0]:.1f} KiB -> "
            f"{per_row[1]:.1f} KiB"
        )


if __name__ == "__main__":
    main()
