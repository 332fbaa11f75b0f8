"""The demo forum from the data files beside this module (README: "The demo").

Every object is found by its natural key and saved only when a value differs, so a second run
changes nothing.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from agreements.models import Agreement, Party
from agreements.services import agreement_check_parties
from delegates.models import Assignment, Delegate
from demo.sample_files import sample_pdf
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.models import Day, Forum, Region, Venue
from forum.permissions import EDITORS

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("ru", "be", "en")
SEVENTH = 7
DEMO_USERNAME = "secretariat"
DEMO_PASSWORD = "forum-demo-2020"  # noqa: S105 - a published demo login, not a secret.

OUR_TRANSLATION = "(our translation)"
DESCRIPTIVE = "(descriptive)"
_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def translated(name: str, texts: dict | None) -> dict[str, str]:
    """{"ru": …, "en": …} -> title_ru, title_be, title_en (empty where a language is missing)."""
    texts = texts or {}
    return {f"{name}_{language}": texts.get(language) or "" for language in LANGUAGES}


def roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def ordinal_en(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def edition_title(number: int) -> dict[str, str]:
    return translated(
        "title",
        {
            "ru": f"{roman(number)} Форум регионов Беларуси и России",
            "be": f"{roman(number)} Форум рэгіёнаў Беларусі і Расіі",
            "en": f"{ordinal_en(number)} Forum of Regions of Belarus and Russia",
        },
    )


class _Notes:
    """The secretariat's notes on an edition, in English and Russian side by side."""

    def __init__(self):
        self.en: list[str] = []
        self.ru: list[str] = []

    def add(self, en: str | None, ru: str | None = None) -> None:
        if en:
            self.en.append(en)
        if ru:
            self.ru.append(ru)

    def add_pair(self, pair: dict | None) -> None:
        if pair:
            self.add(pair.get("en"), pair.get("ru"))

    def values(self) -> dict[str, str]:
        return translated("notes", {"ru": " ".join(self.ru), "en": " ".join(self.en)})


def _themes(row: dict, ours: dict, notes: _Notes, translation_notes: dict) -> dict[str, str]:
    if ours.get("theme_is_description"):
        notes.add_pair(ours["theme_note"])
        return translated("theme", {})
    theme_en = row["theme_en"] or ""
    if theme_en.endswith(OUR_TRANSLATION):
        theme_en = theme_en.removesuffix(OUR_TRANSLATION).strip()
        notes.add_pair(translation_notes["theme_en"])
    if theme_en.endswith(DESCRIPTIVE):
        raise ValueError(f"Edition {row['number']}: a descriptive English theme needs a note.")
    if ours.get("theme_be"):
        notes.add_pair(translation_notes["theme_be"])
    return translated("theme", {"ru": row["theme_ru"], "be": ours.get("theme_be"), "en": theme_en})


def edition_values(row: dict, ours: dict, translation_notes: dict) -> dict:
    """Forum values of one edition: the research file's facts, our translations beside them; the
    reported figures as a reader sees them, the caveats in the secretariat's notes."""
    notes = _Notes()
    notes.add_pair(ours.get("status_note"))
    notes.add(ours.get("notes_en", row["notes"]), ours.get("notes_ru"))
    themes = _themes(row, ours, notes, translation_notes)
    for name in ("theme_missing_note", "format_note", "source_note"):
        notes.add_pair(ours.get(name))
    if row["agreements_value"]:
        notes.add(f"Reported value: {row['agreements_value']}.", f"Сумма: {ours['value_ru']}.")
    notes.add(f"Confidence: {row['confidence']}." if row.get("confidence") else None)
    # "url (remark)" -> url; the remarks are in the notes.
    sources = [part.strip().split(" ", 1)[0] for part in (row["source"] or "").split(" ; ")]
    return {
        "year": row["year"],
        "starts_on": date.fromisoformat(row["start_date"]),
        "ends_on": date.fromisoformat(row["end_date"]),
        **edition_title(row["number"]),
        **themes,
        **translated("host_cities", {**ours["host_cities"], "en": ", ".join(row["cities"])}),
        "format": ours["format"],
        "time_zone": ours["time_zone"],
        "agreements_expected": None,
        "agreements_reported": row["agreements_signed"],
        **translated("agreements_value_reported", row.get("reported_public")),
        **notes.values(),
        "sources": "\n".join(source for source in sources if source),
        "is_published": True,
    }


@dataclass
class DemoStats:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def record(self, label: str, outcome: str) -> None:
        getattr(self, outcome)[label] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def _check_parties(agreement: Agreement, *, parties: int) -> None:
    agreement_check_parties(agreement=agreement, parties=parties)


class _Loader:
    def __init__(self):
        self.stats = DemoStats()
        self._regions = {region.code: region for region in Region.objects.all()}
        self.seventh = read("seventh-forum.json")
        self.sample = read("sample.json")

    def region(self, code: str | None) -> Region | None:
        return self._regions[code] if code else None

    def upsert(self, model, lookup: dict, values: dict, *, check=None):
        """Find by natural key, set what differs, validate and save only when something did."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
            changed = list(values)
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if created or changed:
            obj.full_clean()
            if check:
                check(obj)
            obj.save()
        self.stats.record(
            model.__name__, "created" if created else "updated" if changed else "unchanged"
        )
        return obj

    def set_m2m(self, manager, objects) -> None:
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in objects}:
            manager.set(objects)
            self.stats.record("Event venues", "updated")

    def forums(self) -> dict[int, Forum]:
        archive = read("archive.json")
        forums = {}
        for row in read("forum-editions.json")["editions"]:
            ours = archive["editions"][str(row["number"])]
            values = edition_values(row, ours, archive["translation_notes"])
            if row["number"] == SEVENTH:
                values.update(archive["seventh_forum"])
            forums[row["number"]] = self.upsert(Forum, {"number": row["number"]}, values)
        return forums

    def seventh_forum(self, forum: Forum) -> dict[str, Event]:
        days = {}
        for spec in self.seventh["days"]:
            values = {key: value for key, value in spec.items() if key != "date"}
            day = date.fromisoformat(spec["date"])
            days[spec["date"]] = self.upsert(Day, {"forum": forum, "date": day}, values)
        self.venues = {}
        for key, spec in self.seventh["venues"].items():
            values = {**spec, "region": self.region(spec["region"])}
            lookup = {"forum": forum, "name_ru": values.pop("name_ru")}
            self.venues[key] = self.upsert(Venue, lookup, values)
        commission = dict(self.seventh["commission"])
        commission = self.upsert(Commission, {"name_ru": commission.pop("name_ru")}, commission)
        events = {}
        for slug, spec in self.seventh["events"].items():
            values = {
                **{key: value for key, value in spec.items() if key not in ("date", "venues")},
                "day": days[spec["date"]],
                "commission": commission if spec["kind"] == "commission_meeting" else None,
                "format": "online",
                "starts_at": None,
                "ends_at": None,
                "video_conference_url": self.sample["video_links"].get(slug, ""),
                "is_published": True,
            }
            events[slug] = self.upsert(Event, {"forum": forum, "slug": slug}, values)
            self.set_m2m(events[slug].venues, [self.venues[key] for key in spec["venues"]])
        return events

    def delegates(self) -> dict[str, Delegate]:
        delegates = {}
        for index, spec in enumerate(self.sample["delegates"], start=1):
            country = spec["country"]
            values = {
                **translated("last_name", spec["last_name"]),
                **translated("first_name", spec["first_name"]),
                **translated("middle_name", {}),
                "country": country,
                "region": self.region(spec["region"]),
                "category": spec["category"],
                **translated("position", self.sample["position"]),
                **translated("organisation", spec["organisation"]),
                "email": f"sample{index:02d}@example.org",
                "phone": f"+375 00 000-00-{index:02d}"
                if country == "BY"
                else f"+7 000 000-00-{index:02d}",
                "language": spec["language"],
                "is_sample": True,
            }
            lookup = {"external_id": spec["external_id"]}
            delegates[spec["external_id"]] = self.upsert(Delegate, lookup, values)
        return delegates

    def assignments(self, delegates: dict[str, Delegate], events: dict[str, Event]) -> None:
        order = Counter()
        for spec in self.sample["assignments"]:
            order[spec["event"]] += 1
            venue = spec["venue"]
            values = {
                "role": spec["role"],
                "participation": "in_person" if venue else "remote",
                "venue": self.venues[venue] if venue else None,
                "order": order[spec["event"]],
            }
            lookup = {"delegate": delegates[spec["delegate"]], "event": events[spec["event"]]}
            self.upsert(Assignment, lookup, values)

    def agreements(self, forum: Forum, events: dict[str, Event]) -> None:
        for registry_number, spec in self.sample["agreements"].items():
            values = {key: value for key, value in spec.items() if key != "parties"}
            signed = values["status"] == "signed"
            values.update(
                value=Decimal(values["value"]) if values["value"] else None,
                signed_on=date.fromisoformat(self.sample["signed_on"]) if signed else None,
                event=events[self.sample["signed_at"]] if signed else None,
                is_public=True,
                is_sample=True,
            )
            parties = spec["parties"]
            agreement = self.upsert(
                Agreement,
                {"forum": forum, "registry_number": registry_number},
                values,
                check=partial(_check_parties, parties=len(parties)),
            )
            for order, party in enumerate(parties, start=1):
                party_values = {
                    **party,
                    "region": self.region(party["region"]),
                    **translated("signatory", {}),
                    **translated("signatory_position", {}),
                }
                self.upsert(Party, {"agreement": agreement, "order": order}, party_values)

    def documents(self, forum: Forum, events: dict[str, Event]) -> None:
        """Sample documents of the forum and of its events, each a PDF per language it has, made
        here (sample_files); found again by their Russian title."""
        for spec in self.sample["documents"]:
            values = {
                "event": events[spec["event"]] if spec["event"] else None,
                "kind": spec["kind"],
                "access": spec["access"],
                "date": date.fromisoformat(spec["date"]),
                **translated("title", spec["title"]),
                "is_sample": True,
            }
            lookup = {"forum": forum, "title_ru": values.pop("title_ru")}
            document = self.upsert(Document, lookup, values)
            for language in spec["languages"]:
                self.document_file(document, language, spec["title"]["en"])

    def document_file(self, document: Document, language: str, title_en: str) -> None:
        content = sample_pdf(f"{title_en} [{language}]: sample data made up for the demo.")
        found = DocumentFile.objects.filter(document=document, language=language).first()
        if found and found.sha256 == hashlib.sha256(content).hexdigest():
            self.stats.record("DocumentFile", "unchanged")
            return
        document_file = found or DocumentFile(document=document, language=language)
        document_file.file = ContentFile(content, name=f"sample-{language}.pdf")
        document_file.full_clean()
        document_file.save()
        self.stats.record("DocumentFile", "updated" if found else "created")

    def secretariat_user(self) -> None:
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        created = user is None
        if created:
            user = User(username=DEMO_USERNAME)
        wanted = {"is_staff": True, "is_superuser": False, "is_active": True}
        changed = any(getattr(user, name) != value for name, value in wanted.items())
        for name, value in wanted.items():
            setattr(user, name, value)
        # Only when it differs: set_password() salts anew, so it would change the row each run.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if created or changed:
            user.full_clean()
            user.save()
        group = Group.objects.get(name=EDITORS)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            changed = True
        self.stats.record("User", "created" if created else "updated" if changed else "unchanged")


def demo_load() -> DemoStats:
    """Load (or bring up to date) the demo forum; return what was created and changed."""
    loader = _Loader()
    # Saved under the default language, so each base column holds the Russian text.
    with translation.override("ru"), transaction.atomic():
        forums = loader.forums()
        events = loader.seventh_forum(forums[SEVENTH])
        delegates = loader.delegates()
        loader.assignments(delegates, events)
        loader.agreements(forums[SEVENTH], events)
        loader.documents(forums[SEVENTH], events)
        loader.secretariat_user()
    return loader.stats
