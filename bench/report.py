"""The report of `make bench`: Markdown and JSON under var/bench/, and the tables printed.

A report is a list of sections, each a title, an optional note and a table (headers and rows).
Other benchmarks add theirs: any ``var/bench/<name>.json`` holding ``{"sections": [...]}`` in the
same form (or a plain list of flat dicts, shown as one table) is appended, e.g. the import timings
of bench/run.py written to ``var/bench/import.json``.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "var" / "bench"
OWN = {"web.json", "peer.json"}


def section(title: str, headers: list[str], rows: list[list], note: str = "") -> dict:
    return {"title": title, "note": note, "headers": headers, "rows": rows}


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _as_sections(name: str, data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("sections"), list):
        return data["sections"]
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        headers = list(data[0])
        return [section(name, headers, [[row.get(h) for h in headers] for row in data])]
    return []


def extra_sections(out: Path = OUT) -> list[dict]:
    """Sections other benchmarks left in var/bench/ (``import.json`` first)."""
    found = []
    for path in sorted(out.glob("*.json"), key=lambda p: (p.name != "import.json", p.name)):
        if path.name in OWN:
            continue
        try:
            found += _as_sections(path.stem, json.loads(path.read_text()))
        except (OSError, ValueError):
            continue
    return found


def write(
    title: str,
    sections: list[dict],
    data: dict,
    out: Path = OUT,
    *,
    name: str = "",
    extras: bool = True,
) -> Path:
    """Write report.md and web.json (``name``: <name>.md and <name>.json); print the Markdown;
    return the Markdown's path. ``extras``: append the sections other benchmarks left."""
    out.mkdir(parents=True, exist_ok=True)
    if extras:
        sections = sections + extra_sections(out)
    parts = [f"# {title}"]
    for part in sections:
        parts.append(f"## {part['title']}")
        if part.get("note"):
            parts.append(part["note"])
        if part.get("headers"):
            parts.append(markdown_table(part["headers"], part["rows"]))
    text = "\n\n".join(parts) + "\n"
    markdown = out / (f"{name}.md" if name else "report.md")
    markdown.write_text(text)
    (out / (f"{name}.json" if name else "web.json")).write_text(
        json.dumps({**data, "sections": sections}, indent=1, ensure_ascii=False, default=str)
    )
    print(text)
    return markdown
