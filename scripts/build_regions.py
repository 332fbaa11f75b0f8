"""Regenerate forum/regions.json: BY and RU regions named in ru, be and en.

The region codes are those pycountry lists (ISO 3166-2) for BY and RU; the names come from
Unicode CLDR's subdivision names (common/subdivisions/{ru,be,en}.xml).

Usage:
    python scripts/build_regions.py CLDR_DIR [--source-label LABEL] [--output PATH]
        [--overrides PATH]

CLDR_DIR is the root of a CLDR data release (the directory holding common/). The one used so
far is Debian's unicode-cldr-core (CLDR 41), which still carries full ru and be subdivision
names (later CLDR releases ship only English ones):

    cd "$(mktemp -d)" && apt-get download unicode-cldr-core
    dpkg-deb -x unicode-cldr-core_*.deb x
    python scripts/build_regions.py x/usr/share/unicode/cldr \
        --source-label "Debian unicode-cldr-core 41-0.1"

A core.zip from https://cldr.unicode.org works the same way once unpacked.

Where CLDR lacks a name, the fallback is: pycountry's gettext translation for that language
(only if it is in Cyrillic, for ru and be), then, for be, CLDR's ru name, and finally pycountry's
own name. Each filled gap is listed in the output's "_gaps".

CLDR's names are then corrected from scripts/regions_overrides.json (--overrides): a hand-kept
table, keyed by ISO code, of the official full names (ru as in Art. 65 of the Constitution of
the Russian Federation and Belarusian official usage, be in the same forms, en in one
consistent official style) where they differ from CLDR. It lists only the fields that differ:
an entry naming an unknown code or field, or repeating CLDR's own name, stops the build, so the
table stays minimal when the CLDR source changes. Keys starting with "_" are comments.
"""

import argparse
import gettext
import json
import re
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pycountry

COUNTRIES = ("BY", "RU")
LANGS = ("ru", "be", "en")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "forum" / "regions.json"
OVERRIDES = ROOT / "scripts" / "regions_overrides.json"


def cldr_names(cldr_dir, lang):
    """The subdivision names of one CLDR locale, keyed like "bymi" (empty if no file)."""
    path = cldr_dir / "common" / "subdivisions" / f"{lang}.xml"
    if not path.exists():
        return {}
    root = ET.parse(path).getroot()
    return {
        el.get("type"): el.text.strip()
        for el in root.iter("subdivision")
        if el.get("alt") is None and el.text and el.text.strip()
    }


def cldr_version(cldr_dir):
    dtd = (cldr_dir / "common" / "dtd" / "ldml.dtd").read_text(encoding="utf-8")
    match = re.search(r'cldrVersion CDATA #FIXED "([^"]+)"', dtd)
    return match.group(1) if match else "unknown"


def pycountry_name(subdivision, lang):
    """pycountry's translation, or None when it has none in the right script."""
    if lang == "en":
        return None
    tr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    name = tr.gettext(subdivision.name)
    return name if name != subdivision.name and CYRILLIC.search(name) else None


def load_overrides(path):
    """The corrections table: {code: {"name_xx": name}}, without the "_" comment keys."""
    table = json.loads(path.read_text(encoding="utf-8"))
    fields = {f"name_{lang}" for lang in LANGS}
    overrides = {code: names for code, names in table.items() if not code.startswith("_")}
    for code, names in overrides.items():
        if not isinstance(names, dict) or not names or not set(names) <= fields:
            raise SystemExit(f"{path}: {code}: expected a non-empty object of {sorted(fields)}")
    return overrides


def display_path(path):
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def build(cldr_dir, source_label, overrides_path=OVERRIDES):
    cldr = {lang: cldr_names(cldr_dir, lang) for lang in LANGS}
    overrides = load_overrides(overrides_path)
    unknown = set(overrides)
    regions, gaps, corrected = [], [], 0
    for country in COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country):
            key = sub.code.lower().replace("-", "")
            item = {"code": sub.code, "country": country}
            fixes = overrides.get(sub.code, {})
            unknown.discard(sub.code)
            for lang in LANGS:
                field = f"name_{lang}"
                name, how = cldr[lang].get(key), None
                if name is None and (name := pycountry_name(sub, lang)):
                    how = "pycountry"
                if name is None and lang == "be" and (name := cldr["ru"].get(key)):
                    how = "cldr-ru"
                if name is None:
                    name, how = sub.name, "pycountry-name"
                if field in fixes:
                    if fixes[field] == name:
                        raise SystemExit(f"{sub.code} {field}: override repeats {name!r}; drop it")
                    name, how = fixes[field], None
                    corrected += 1
                if how:
                    gaps.append({"code": sub.code, "lang": lang, "filled_from": how})
                item[field] = name
            regions.append(item)
    if unknown:
        raise SystemExit(f"overrides for unknown codes: {', '.join(sorted(unknown))}")
    regions.sort(key=lambda r: r["code"])
    source = (
        f"Unicode CLDR {cldr_version(cldr_dir)} subdivisions ({source_label}); "
        f"codes from pycountry {version('pycountry')}; "
        f"official-name corrections from {display_path(overrides_path)} applied "
        f"({corrected} names in {len(overrides)} regions)"
    )
    return {"_source": source, "_gaps": gaps, "regions": regions}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cldr_dir", type=Path, help="root of a CLDR release (holds common/)")
    parser.add_argument("--source-label", default="CLDR release", help="where CLDR came from")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--overrides", type=Path, default=OVERRIDES, help="corrections table")
    args = parser.parse_args()
    data = build(args.cldr_dir, args.source_label, args.overrides)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    args.output.write_text(text, encoding="utf-8")
    for country in COUNTRIES:
        count = sum(r["country"] == country for r in data["regions"])
        print(f"{country}: {count} regions")
    print(f"{len(data['_gaps'])} gaps filled; written to {args.output}")


if __name__ == "__main__":
    main()
