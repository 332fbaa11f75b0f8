"""The demo forum: every known edition, the Seventh Forum (2020) in full, and marked sample data.

Facts come from ``demo_data/forum-editions.json`` (copied from the project's research notes) and
from the Seventh Forum's announcement; where a fact is unknown the field stays empty. Delegates,
their assignments and the agreements are made up, flagged ``is_sample`` and say so in their text.

``demo_load()`` is idempotent: it finds every object by its natural key and saves it only when a
value differs, so a second run changes nothing.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from agreements.models import Agreement, Party
from agreements.services import agreement_check_parties
from delegates.models import Assignment, Delegate
from events.models import Commission, Event
from forum.models import Day, Forum, Region, Venue
from forum.permissions import EDITORS

EDITIONS_FILE = Path(__file__).resolve().parent / "demo_data" / "forum-editions.json"

SEVENTH = 7

DEMO_USERNAME = "secretariat"
DEMO_PASSWORD = "forum-demo-2020"  # noqa: S105 - a published demo login, not a secret.

LANGS = ("ru", "be", "en")


def tr(name: str, ru: str, be: str, en: str) -> dict[str, str]:
    """The three columns of a translated field."""
    return {f"{name}_ru": ru, f"{name}_be": be, f"{name}_en": en}


# --- The archive ---------------------------------------------------------------------------------

_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def ordinal_en(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_title(number: int) -> dict[str, str]:
    return tr(
        "title",
        f"{roman(number)} Форум регионов Беларуси и России",
        f"{roman(number)} Форум рэгіёнаў Беларусі і Расіі",
        f"{ordinal_en(number)} Forum of Regions of Belarus and Russia",
    )


MOSCOW, MINSK = "Europe/Moscow", "Europe/Minsk"

# What the JSON gives in English only (or in Russian only), per edition. `theme_note` is the
# qualifier a theme carries in the data ("our translation", "descriptive"); it goes to the notes so
# no description poses as an official title. `theme_is_description`: theme_ru is itself a
# description, so the theme stays empty and the description goes to the notes.
EDITION_TEXTS: dict[int, dict] = {
    1: {
        "cities": ("Минск", "Мінск"),
        "format": "in_person",
        "time_zone": MINSK,
        "theme_is_description": True,
        "theme_note": (
            "Theme (a description, not an official title): Agro-industrial cooperation, "
            "coordinated agrarian policy and food security of the Union State.",
            "Тема (описание темы, не официальное название): Проблемы агропромышленного "
            "производства, согласованной аграрной политики и обеспечения продовольственной "
            "безопасности в рамках Союзного государства.",
        ),
        "notes_ru": (
            "rg.ru: подписано «несколько соглашений» (межпарламентские, о совместных "
            "предприятиях в агропромышленном комплексе, в лесном хозяйстве). Участвовали около "
            "20 субъектов России. tribunapracy.by: 117 белорусских и 188 российских участников, "
            "19 регионов. Сопредседатели — А. Рубинов (Совет Республики) и В. Матвиенко "
            "(Совет Федерации)."
        ),
    },
    2: {
        "cities": ("Сочи", "Сочы"),
        "format": "in_person",
        "time_zone": MOSCOW,
        "theme_is_description": True,
        "theme_note": (
            "Main theme (descriptive; the exact official title was not found): Industrial policy "
            "of the Union State.",
            "Основная тема (описание; точное официальное название не найдено): Промышленная "
            "политика Союзного государства.",
        ),
        "value": (
            "230 млн долларов США (Мясникович); по другим сообщениям — более 250 млн долларов США",
            "230 млн долараў ЗША (Мясніковіч); паводле іншых паведамленняў — больш за 250 млн "
            "долараў ЗША",
        ),
        "notes_ru": (
            "Первоначально форум планировался в Великом Новгороде; перенесён в Сочи (БелТА через "
            "21.by, 09.07.2015). Присутствовали Путин и Лукашенко. Число 20 — это "
            "«20 межрегиональных соглашений» (CTV)."
        ),
    },
    3: {
        "cities": ("Минск", "Мінск"),
        "format": "in_person",
        "time_zone": MINSK,
        "theme_be": (
            "Рэалізацыя ўзгодненай сацыяльна-эканамічнай палітыкі ў Саюзнай дзяржаве: "
            "дасягненні, праблемы, шляхі вырашэння і перспектывы"
        ),
        "value": ("300 млн долларов США", "300 млн долараў ЗША"),
        "notes_ru": (
            "Девять секций. Мясникович назвал «40 новых соглашений и контрактов на 300 млн "
            "долларов» (CTV, первый день). SB Belarus Today приводит другой английский девиз "
            "(«Efficient Social-Economic Policy as Basis for Wellbeing and Spiritual "
            "Progress...»). Были представлены 43 российских региона (CTV)."
        ),
    },
    4: {
        "cities": ("Москва", "Масква"),
        "format": "in_person",
        "time_zone": MOSCOW,
        "theme_be": (
            "Вектары інтэграцыйнага развіцця рэгіёнаў Расіі і Беларусі ў сферы высокіх "
            "тэхналогій, інавацый і інфармацыйнага грамадства"
        ),
        "value": (
            "более 400 млн долларов США (по словам одного регионального чиновника, 2018 год)",
            "больш за 400 млн долараў ЗША (паводле слоў аднаго рэгіянальнага чыноўніка, 2018 год)",
        ),
        "notes_ru": (
            "Место проведения: ЦВК «Экспоцентр», Москва. До форума было подготовлено более 60 "
            "проектов соглашений (Sputnik). Итоговое число не найдено."
        ),
    },
    5: {
        "cities": ("Могилёв, Горки, Шклов", "Магілёў, Горкі, Шклоў"),
        "format": "in_person",
        "time_zone": MINSK,
        "theme_be": (
            "Прыярытэтныя напрамкі развіцця рэгіянальнага супрацоўніцтва як ключавога фактару "
            "інтэграцыі і саюзнага будаўніцтва"
        ),
        "value": (
            "более 500 млн долларов США (Мясникович); 540 млн долларов США (более поздний "
            "телесюжет)",
            "больш за 500 млн долараў ЗША (Мясніковіч); 540 млн долараў ЗША (пазнейшы тэлесюжэт)",
        ),
        "notes_ru": (
            "Секции прошли 11 октября, пленарное заседание с участием Путина и Лукашенко — "
            "12 октября. В Горках (сельскохозяйственная академия) и Шклове проходили секции; "
            "основным городом был Могилёв. Сначала форум планировался на 26–28 сентября "
            "(БелТА, январь 2018 года)."
        ),
    },
    6: {
        "cities": ("Санкт-Петербург", "Санкт-Пецярбург"),
        "format": "in_person",
        "time_zone": MOSCOW,
        "theme_be": (
            "Міжрэгіянальныя сувязі як аснова фарміравання адзінай культурнай і гуманітарнай "
            "прасторы народаў Беларусі і Расіі"
        ),
        "notes_ru": (
            "Место проведения: Таврический дворец. Участвовали 70 субъектов России и все регионы "
            "Беларуси (Кремль). Только 17 июля были подписаны контракты на 120 млн долларов США "
            "(news.by); итоговая сумма не найдена."
        ),
        "source_note": (
            "The newskitchen.eu source reproduces the Kremlin's text.",
            "Источник newskitchen.eu воспроизводит текст Кремля.",
        ),
    },
    7: {
        "cities": (
            "онлайн (видеоконференция Москва — Минск)",
            "анлайн (відэаканферэнцыя Масква — Мінск)",
        ),
        "format": "online",
        # Both studios kept Moscow time: Europe/Minsk is UTC+3 too.
        "time_zone": MOSCOW,
        "theme_be": (
            "Гістарычная спадчына Вялікай Перамогі як аснова развіцця сацыяльна-эканамічных і "
            "духоўных сувязяў народаў Беларусі і Расіі"
        ),
        "value": ("более 700 млн долларов США", "больш за 700 млн долараў ЗША"),
        # The JSON says "in the seed text", our own word; the public reads "announcement".
        "notes_en": (
            "First fully online edition. It was planned for Minsk and Minsk Region, and on "
            "26 Sep 2020 both chambers jointly decided to hold it by videoconference. PM "
            "Golovchenko said 'about 70 cooperation agreements and commercial contracts' worth "
            "more than USD 700 million. The figure of about 18 expected agreements in the "
            "pre-forum announcement could not be verified."
        ),
        "notes_ru": (
            "Первый полностью онлайн-форум. Его планировали провести в Минске и Минской области; "
            "26 сентября 2020 года обе палаты совместно решили провести его в режиме "
            "видеоконференции. Премьер-министр Головченко назвал «около 70 соглашений о "
            "сотрудничестве и коммерческих контрактов» на сумму более 700 млн долларов США. "
            "Число «около 18» ожидаемых соглашений из анонса форума подтвердить не удалось."
        ),
    },
    8: {
        "cities": (
            "онлайн/гибридный формат (видеоконференция Москва — Минск; планировалось проведение "
            "в Москве и Московской области)",
            "анлайн/гібрыдны фармат (відэаканферэнцыя Масква — Мінск; планавалася правядзенне "
            "ў Маскве і Маскоўскай вобласці)",
        ),
        # The data says "online/hybrid": not clear enough to pick one.
        "format": "",
        "time_zone": MOSCOW,
        "theme_be": "Навукова-тэхнічнае супрацоўніцтва Расіі і Беларусі ў эпоху лічбавізацыі",
        "value": (
            "850 млн долларов США (Рачков, 2022 год)",
            "850 млн долараў ЗША (Рачкоў, 2022 год)",
        ),
        "format_note": (
            "The sources do not make clear whether the edition was online or hybrid.",
            "Из источников не ясно, проходил форум онлайн или в гибридном формате.",
        ),
        "notes_ru": (
            "Пленарное заседание 1 июля 2021 года с участием президентов по видеосвязи. На нём "
            "Лукашенко привёл общую цифру: за 7 лет — более 370 соглашений и контрактов почти на "
            "3 млрд долларов США (pnp.ru)."
        ),
    },
    9: {
        "cities": ("Гродно", "Гродна"),
        "format": "in_person",
        "time_zone": MINSK,
        "theme_be": (
            "Роля міжрэгіянальнага супрацоўніцтва ў паглыбленні інтэграцыйных працэсаў Саюзнай "
            "дзяржавы"
        ),
        "value": (
            "65 млрд российских рублей (около 2,5 млрд белорусских рублей)",
            "65 млрд расійскіх рублёў (каля 2,5 млрд беларускіх рублёў)",
        ),
        "notes_ru": (
            "Кочанова: «около 70» контрактов. news.by (второй день): «более 60 соглашений о "
            "сотрудничестве и контрактов на сумму свыше 1 млрд долларов США». Шесть секций."
        ),
    },
    10: {
        "cities": ("Уфа", "Уфа"),
        "format": "in_person",
        # Ufa keeps Yekaterinburg time (UTC+5), not Moscow time.
        "time_zone": "Asia/Yekaterinburg",
        "value": (
            "около 110 млрд российских рублей (Кочанова); «100 млрд российских рублей» в более "
            "позднем материале news.by",
            "каля 110 млрд расійскіх рублёў (Качанава); «100 млрд расійскіх рублёў» у пазнейшым "
            "матэрыяле news.by",
        ),
        "theme_missing_note": ("The theme was not found.", "Тема не найдена."),
        "notes_ru": (
            "Юбилейный (10-й) форум. Десять тематических секций. Слова Кочановой о «~100 "
            "соглашениях, ~110 млрд рублей» приведены на странице, адрес которой не указан."
        ),
    },
    11: {
        "cities": ("Витебск, Полоцк, Новополоцк", "Віцебск, Полацк, Наваполацк"),
        "format": "in_person",
        "time_zone": MINSK,
        "theme_be": (
            "Роля міжрэгіянальнага супрацоўніцтва ў пабудове інавацыйнай эканомікі Саюзнай дзяржавы"
        ),
        "value": (
            "около 24 млрд российских рублей (Путин); более 1 млрд белорусских рублей "
            "(Совет Республики)",
            "каля 24 млрд расійскіх рублёў (Пуцін); больш за 1 млрд беларускіх рублёў "
            "(Савет Рэспублікі)",
        ),
        "notes_ru": (
            "Девять секций. Пленарное заседание — в Витебске 28 июня. Всего около 250 "
            "соглашений и коммерческих контрактов."
        ),
        "source_note": (
            "The news-pravda.com source reproduces the Kremlin's text.",
            "Источник news-pravda.com воспроизводит текст Кремля.",
        ),
    },
    12: {
        "cities": ("Нижний Новгород", "Ніжні Ноўгарад"),
        "format": "in_person",
        "time_zone": MOSCOW,
        "theme_be": (
            "Моладзь Беларусі і Расіі – спадчыннікі Вялікай Перамогі і будучыня Саюзнай дзяржавы"
        ),
        "value": (
            "100 контрактов на 750 млн рублей (валюта не указана, вероятно, белорусские рубли); "
            "по сообщению января 2026 года — контракты на 900 млн белорусских рублей в 2025 году",
            "100 кантрактаў на 750 млн рублёў (валюта не пазначана, верагодна, беларускія "
            "рублі); паводле паведамлення студзеня 2026 года — кантракты на 900 млн беларускіх "
            "рублёў у 2025 годзе",
        ),
        "notes_ru": "Всего 211 документов, из них 100 контрактов. Семь тематических секций.",
    },
    13: {
        "cities": ("Минск, Минская область", "Мінск, Мінская вобласць"),
        "format": "in_person",
        "time_zone": MINSK,
        "status_note": (
            "Planned (announced in January 2026).",
            "Запланирован (объявлено в январе 2026 года).",
        ),
        "notes_ru": (
            "Объявлен с акцентом на экономику и 10 секциями (площадки, в том числе БЕЛАЗ, "
            "BELGEE, Китайско-Белорусский индустриальный парк). Официальное название темы не "
            "найдено."
        ),
    },
}

OUR_TRANSLATION = "(our translation)"
DESCRIPTIVE = "(descriptive)"
THEME_EN_TRANSLATED_NOTE = (
    "The English wording of the theme is our translation.",
    "Английский вариант темы — наш перевод.",
)
THEME_BE_TRANSLATED_NOTE = (
    "The Belarusian wording of the theme is our translation.",
    "Белорусский вариант темы — наш перевод.",
)


def load_editions() -> list[dict]:
    return json.loads(EDITIONS_FILE.read_text(encoding="utf-8"))["editions"]


def edition_values(row: dict) -> dict:
    """Forum field values for one edition of the JSON."""
    number = row["number"]
    texts = EDITION_TEXTS[number]
    notes_en: list[str] = []
    notes_ru: list[str] = []

    def note(pair):
        if pair:
            notes_en.append(pair[0])
            notes_ru.append(pair[1])

    note(texts.get("status_note"))
    note((texts.get("notes_en", row["notes"] or ""), texts.get("notes_ru", "")))

    theme_ru = row["theme_ru"] or ""
    theme_en = row["theme_en"] or ""
    theme_be = texts.get("theme_be", "")
    if texts.get("theme_is_description"):
        theme_ru = theme_en = theme_be = ""
        note(texts["theme_note"])
    else:
        if theme_en.endswith(OUR_TRANSLATION):
            theme_en = theme_en.removesuffix(OUR_TRANSLATION).strip()
            note(THEME_EN_TRANSLATED_NOTE)
        if theme_en.endswith(DESCRIPTIVE):
            raise ValueError(f"Edition {number}: a descriptive English theme needs a note.")
        if theme_be:
            note(THEME_BE_TRANSLATED_NOTE)
    note(texts.get("theme_missing_note"))
    note(texts.get("format_note"))
    note(texts.get("source_note"))

    value_en = row["agreements_value"] or ""
    value_ru, value_be = texts.get("value", ("", ""))
    if bool(value_en) != bool(value_ru):
        raise ValueError(f"Edition {number}: the reported value needs its translations.")

    # "url (remark)" -> url; the remarks are in the notes.
    sources = [part.strip().split(" ", 1)[0] for part in (row["source"] or "").split(" ; ")]
    return {
        "year": row["year"],
        "starts_on": date.fromisoformat(row["start_date"]),
        "ends_on": date.fromisoformat(row["end_date"]),
        **edition_title(number),
        **tr("theme", theme_ru, theme_be, theme_en),
        **tr("host_cities", texts["cities"][0], texts["cities"][1], ", ".join(row["cities"])),
        "format": texts["format"],
        "time_zone": texts["time_zone"],
        "agreements_expected": None,
        "agreements_reported": row["agreements_signed"],
        **tr("agreements_value_reported", value_ru, value_be, value_en),
        **tr("notes", " ".join(n for n in notes_ru if n), "", " ".join(n for n in notes_en if n)),
        "sources": "\n".join(s for s in sources if s),
        "is_published": True,
    }


# --- The Seventh Forum (2020) --------------------------------------------------------------------

SEVENTH_OVERRIDES = {
    # The announcement: "about 18 cooperation agreements and contracts ... will be signed".
    "agreements_expected": 18,
    "format": "online",
}

DAYS = [
    (date(2020, 9, 25), tr("title", "Молодёжный форум", "Маладзёжны форум", "Youth Forum")),
    (date(2020, 9, 28), tr("title", "", "", "")),
    (date(2020, 9, 29), tr("title", "", "", "")),
]

# Key -> values. The real halls are not in our data, so the venues name only the city's studio.
VENUES = {
    "moscow": {
        **tr(
            "name",
            "Москва, студия видеоконференции",
            "Масква, студыя відэаканферэнцыі",
            "Moscow studio",
        ),
        "kind": "studio",
        **tr("city", "Москва", "Масква", "Moscow"),
        "country": "RU",
        "region": "RU-MOW",
        **tr("address", "", "", ""),
    },
    "minsk": {
        **tr(
            "name",
            "Минск, студия видеоконференции",
            "Мінск, студыя відэаканферэнцыі",
            "Minsk studio",
        ),
        "kind": "studio",
        **tr("city", "Минск", "Мінск", "Minsk"),
        "country": "BY",
        "region": "BY-HM",
        **tr("address", "", "", ""),
    },
}

YOUTH_COMMISSION = {
    **tr(
        "name",
        "Молодёжная комиссия Совета Федерации Федерального Собрания Российской Федерации и "
        "Совета Республики Национального собрания Республики Беларусь по межрегиональному "
        "сотрудничеству",
        "Маладзёжная камісія Савета Федэрацыі Федэральнага Сходу Расійскай Федэрацыі і Савета "
        "Рэспублікі Нацыянальнага сходу Рэспублікі Беларусь па міжрэгіянальным супрацоўніцтве",
        "Youth Commission of the Federation Council of the Federal Assembly of the Russian "
        "Federation and the Council of the Republic of the National Assembly of the Republic of "
        "Belarus on Inter-Regional Cooperation",
    ),
    **tr("short_name", "Молодёжная комиссия", "Маладзёжная камісія", "Youth Commission"),
    **tr("description", "", "", ""),
}

_SECTION_DESCRIPTION = tr(
    "description",
    "Российские и белорусские парламентарии работают в секции в режиме онлайн в Москве и Минске.",
    "Расійскія і беларускія парламентарыі працуюць у секцыі ў рэжыме анлайн у Маскве і Мінску.",
    "Russian and Belarusian MPs take part in the section, held online in Moscow and Minsk.",
)

# The seed's English titles are the official English. The Russian title of section 3 is the
# one souzveche.ru reported; the other Russian and all Belarusian titles are our translations.
SECTION_TITLES = [
    tr(
        "title",
        "Парламентское измерение сохранения исторического наследия и укрепления единства "
        "братских народов",
        "Парламенцкае вымярэнне захавання гістарычнай спадчыны і ўмацавання адзінства братніх "
        "народаў",
        "Parliamentary Dimension of Preservation of Historical Heritage and Strengthening the "
        "Unity of Fraternal Peoples",
    ),
    tr(
        "title",
        "Совместные проекты как фактор устойчивого экономического развития Беларуси и России",
        "Сумесныя праекты як фактар устойлівага эканамічнага развіцця Беларусі і Расіі",
        "Joint Projects as a Factor of Stable Economic Development of Belarus and Russia",
    ),
    tr(
        "title",
        "Подвиг советского народа в Великой Отечественной войне — основа воспитания патриотизма "
        "и гражданской ответственности",
        "Подзвіг савецкага народа ў Вялікай Айчыннай вайне — аснова выхавання патрыятызму і "
        "грамадзянскай адказнасці",
        "Feat of the Soviet People in the Great Patriotic War as a Basis to Promote Patriotism "
        "and Citizenship",
    ),
    tr(
        "title",
        "Создание условий для повышения социально-экономической активности сельской молодёжи в "
        "целях достижения ЦУР в регионах России и Беларуси",
        "Стварэнне ўмоў для павышэння сацыяльна-эканамічнай актыўнасці сельскай моладзі ў мэтах "
        "дасягнення ЦУР у рэгіёнах Расіі і Беларусі",
        "Creating Conditions for Promotion of Social and Economic Activity of Rural Youth to "
        "Achieve SDGs in Russian and Belarusian Regions",
    ),
    tr(
        "title",
        "Беларусь и Россия: совершенствование совместных действий по противодействию героизации "
        "нацистской идеологии на международных площадках",
        "Беларусь і Расія: удасканаленне сумесных дзеянняў па процідзеянні гераізацыі нацысцкай "
        "ідэалогіі на міжнародных пляцоўках",
        "Belarus and Russia: Improved Joint Actions to Counter Glorification of Nazi Ideology on "
        "International Platforms",
    ),
]

_NO_DESCRIPTION = tr("description", "", "", "")

# slug -> (day, kind, number, venues, values). No times: the announcement gives none.
EVENTS: dict[str, tuple] = {
    "youth-forum": (
        date(2020, 9, 25),
        "youth_forum",
        None,
        [],
        {
            **tr(
                "title",
                "Российско-белорусский молодёжный форум",
                "Расійска-беларускі маладзёжны форум",
                "Russian-Belarusian Youth Forum",
            ),
            **tr(
                "description",
                "Проходит в режиме видеоконференции накануне Форума.",
                "Праходзіць у рэжыме відэаканферэнцыі напярэдадні Форуму.",
                "Held via video-conferencing in the run-up to the Forum.",
            ),
        },
    ),
    **{
        f"section-{number}": (
            date(2020, 9, 28),
            "section",
            number,
            ["moscow", "minsk"],
            {**title, **_SECTION_DESCRIPTION},
        )
        for number, title in enumerate(SECTION_TITLES, start=1)
    },
    "youth-commission-7": (
        date(2020, 9, 28),
        "commission_meeting",
        7,
        [],
        {
            **tr(
                "title",
                "Седьмое заседание Молодёжной комиссии Совета Федерации Федерального Собрания "
                "Российской Федерации и Совета Республики Национального собрания Республики "
                "Беларусь по межрегиональному сотрудничеству",
                "Сёмае пасяджэнне Маладзёжнай камісіі Савета Федэрацыі Федэральнага Сходу "
                "Расійскай Федэрацыі і Савета Рэспублікі Нацыянальнага сходу Рэспублікі Беларусь "
                "па міжрэгіянальным супрацоўніцтве",
                "Seventh Meeting of the Youth Commission of the Federation Council of the Federal "
                "Assembly of the Russian Federation and the Council of the Republic of the "
                "National Assembly of the Republic of Belarus on Inter-Regional Cooperation",
            ),
            **tr(
                "description",
                "Проходит в режиме видеоконференции.",
                "Праходзіць у рэжыме відэаканферэнцыі.",
                "Held via video-conferencing.",
            ),
        },
    ),
    "expert-session": (
        date(2020, 9, 28),
        "expert_session",
        None,
        [],
        {
            **tr(
                "title",
                "Экспертная сессия высокого уровня «Образование как основа исторической памяти и "
                "дальнейшего интеграционного развития Союза Беларуси и России»",
                "Экспертная сесія высокага ўзроўню «Адукацыя як аснова гістарычнай памяці і "
                "далейшага інтэграцыйнага развіцця Саюза Беларусі і Расіі»",
                "High-Level Expert Session “Education as a Basis for Historical Memory and Further "
                "Integration Development of the Union of Belarus and Russia”",
            ),
            **tr(
                "description",
                "Проходит в режиме видеоконференции.",
                "Праходзіць у рэжыме відэаканферэнцыі.",
                "Held via video-conferencing.",
            ),
        },
    ),
    "business-councils": (
        date(2020, 9, 28),
        "business_council",
        None,
        [],
        {
            **tr(
                "title",
                "Совместное заседание деловых советов России и Беларуси",
                "Сумеснае пасяджэнне дзелавых саветаў Расіі і Беларусі",
                "Joint Meeting of the Business Councils of Russia and Belarus",
            ),
            **tr(
                "description",
                "Заседание посвящено развитию промышленной кооперации как фактора роста "
                "экономической интеграции России и Беларуси. Участники обсудят успешный опыт "
                "межрегионального сотрудничества, вопросы равного доступа на рынки двух стран и "
                "системные препятствия на пути кооперации.",
                "Пасяджэнне прысвечана развіццю прамысловай кааперацыі як фактару росту "
                "эканамічнай інтэграцыі Расіі і Беларусі. Удзельнікі абмяркуюць паспяховы вопыт "
                "міжрэгіянальнага супрацоўніцтва, пытанні роўнага доступу на рынкі дзвюх краін і "
                "сістэмныя перашкоды на шляху кааперацыі.",
                "Dedicated to the development of industrial cooperation as a factor in the growth "
                "of economic integration between Russia and Belarus. The participants are "
                "expected to discuss the successful inter-regional experience of cooperation, "
                "issues of equal access to the markets of the two countries and systematic "
                "weaknesses on the way of cooperation.",
            ),
        },
    ),
    "plenary-session": (
        date(2020, 9, 29),
        "plenary",
        None,
        ["moscow", "minsk"],
        {
            **tr(
                "title",
                "Пленарное заседание «Историческое наследие Великой Победы как основа развития "
                "социально-экономических и духовных связей народов Беларуси и России»",
                "Пленарнае пасяджэнне «Гістарычная спадчына Вялікай Перамогі як аснова развіцця "
                "сацыяльна-эканамічных і духоўных сувязяў народаў Беларусі і Расіі»",
                "Plenary Session “Historical Heritage of the Great Victory as a Basis for "
                "Development of Social, Economic and Spiritual Relations of Peoples of Belarus "
                "and Russia”",
            ),
            **tr(
                "description",
                "Ожидается, что на Форуме будет подписано около 18 соглашений о сотрудничестве и "
                "контрактов между региональными органами власти и компаниями двух стран.",
                "Чакаецца, што на Форуме будзе падпісана каля 18 пагадненняў аб супрацоўніцтве і "
                "кантрактаў паміж рэгіянальнымі органамі ўлады і кампаніямі дзвюх краін.",
                "It is expected that about 18 cooperation agreements and contracts between the "
                "regional authorities and companies of the two countries will be signed at the "
                "Forum.",
            ),
        },
    ),
}

SAMPLE_VIDEO_LINKS = {"section-1": "https://vks.example.org/section-1"}


# --- Sample data (made up, and marked so) --------------------------------------------------------

SAMPLE_POSITION = tr(
    "position",
    "Условный делегат (образец, демонстрационные данные)",
    "Умоўны дэлегат (узор, дэманстрацыйныя дадзеныя)",
    "Sample delegate (demo data)",
)

# (last ru/be/en, first ru/be/en, country, region, category, language, organisation ru/be/en)
SAMPLE_DELEGATES = [
    (("Примеров", "Прымераў", "Primerov"), ("Иван", "Іван", "Ivan"), "RU", "RU-SMO",
     "federation_council", "ru",
     ("Совет Федерации (образец)", "Савет Федэрацыі (узор)", "Federation Council (sample)")),
    (("Образцова", "Абразцова", "Obraztsova"), ("Анна", "Ганна", "Anna"), "BY", "BY-HR",
     "council_of_republic", "be",
     ("Совет Республики (образец)", "Савет Рэспублікі (узор)",
      "Council of the Republic (sample)")),
    (("Условнов", "Умоўнаў", "Uslovnov"), ("Пётр", "Пётр", "Pyotr"), "RU", "RU-PSK", "deputy",
     "ru",
     ("Условное законодательное собрание (образец)", "Умоўны заканадаўчы сход (узор)",
      "Sample regional legislature")),
    (("Тестова", "Тэстава", "Testova"), ("Мария", "Марыя", "Maria"), "BY", "BY-VI", "deputy",
     "ru",
     ("Условный областной совет депутатов (образец)", "Умоўны абласны савет дэпутатаў (узор)",
      "Sample regional council of deputies")),
    (("Демов", "Дземаў", "Demov"), ("Алексей", "Аляксей", "Alexei"), "RU", "RU-BRY",
     "regional_official", "ru",
     ("Условная администрация области (образец)", "Умоўная адміністрацыя вобласці (узор)",
      "Sample regional administration")),
    (("Шаблонова", "Шаблонава", "Shablonova"), ("Елена", "Алена", "Elena"), "BY", "BY-MA",
     "regional_official", "be",
     ("Условный облисполком (образец)", "Умоўны аблвыканкам (узор)",
      "Sample regional executive committee")),
    (("Макетов", "Макетаў", "Maketov"), ("Сергей", "Сяргей", "Sergei"), "RU", "RU-KLU",
     "business", "ru",
     ("ООО «Пример-Агро» (образец)", "ТАА «Прыклад-Агра» (узор)", "Primer-Agro LLC (sample)")),
    (("Пробова", "Пробава", "Probova"), ("Ольга", "Вольга", "Olga"), "BY", "BY-MI", "business",
     "ru",
     ("ОАО «Образец-Маш» (образец)", "ААТ «Узор-Маш» (узор)", "Obrazets-Mash JSC (sample)")),
    (("Вымыслов", "Вымыслаў", "Vymyslov"), ("Николай", "Мікалай", "Nikolai"), "RU", "RU-MOW",
     "expert", "en",
     ("Условный исследовательский институт (образец)", "Умоўны даследчы інстытут (узор)",
      "Sample research institute")),
    (("Черновикова", "Чарнавікова", "Chernovikova"), ("Татьяна", "Таццяна", "Tatiana"), "BY",
     "BY-HM", "expert", "be",
     ("Условный университет (образец)", "Умоўны ўніверсітэт (узор)", "Sample university")),
    (("Эскизов", "Эскізаў", "Eskizov"), ("Артём", "Арцём", "Artyom"), "RU", "RU-SPE", "youth",
     "ru",
     ("Условный молодёжный парламент (образец)", "Умоўны маладзёжны парламент (узор)",
      "Sample youth parliament")),
    (("Наброскина", "Набраскіна", "Nabroskina"), ("Дарья", "Дар'я", "Daria"), "BY", "BY-BR",
     "youth", "be",
     ("Условный молодёжный совет (образец)", "Умоўны маладзёжны савет (узор)",
      "Sample youth council")),
]  # fmt: skip


def sample_delegate_id(index: int) -> str:
    return f"SAMPLE-{index:03d}"


# (delegate number, event slug, role, venue key or None for remote). A delegate's events on one
# day are not known to clash: the announcement gives no hours.
SAMPLE_ASSIGNMENTS = [
    (11, "youth-forum", "speaker", None),
    (12, "youth-forum", "speaker", None),
    (3, "section-1", "moderator", "moscow"),
    (4, "section-1", "moderator", "minsk"),
    (9, "section-1", "speaker", None),
    (5, "section-2", "moderator", "moscow"),
    (6, "section-2", "speaker", "minsk"),
    (8, "section-2", "participant", "minsk"),
    (1, "section-3", "moderator", "moscow"),
    (10, "section-3", "speaker", "minsk"),
    (12, "section-4", "moderator", "minsk"),
    (11, "section-4", "speaker", "moscow"),
    (2, "section-5", "moderator", "minsk"),
    (1, "youth-commission-7", "chair", None),
    (11, "youth-commission-7", "participant", None),
    (12, "youth-commission-7", "participant", None),
    (10, "expert-session", "moderator", None),
    (9, "expert-session", "speaker", None),
    (7, "business-councils", "speaker", None),
    (8, "business-councils", "speaker", None),
    (1, "plenary-session", "chair", "moscow"),
    (2, "plenary-session", "chair", "minsk"),
    (3, "plenary-session", "speaker", "moscow"),
    (4, "plenary-session", "speaker", "minsk"),
    (5, "plenary-session", "participant", None),
    (6, "plenary-session", "participant", "minsk"),
]


def sample_title(ru: str, be: str, en: str) -> dict[str, str]:
    return tr("title", f"[Образец] {ru}", f"[Узор] {be}", f"[Sample] {en}")


def _party(kind, country, region, ru, be, en):
    return {"kind": kind, "country": country, "region": region, **tr("name", ru, be, en)}


SIGNED_ON = date(2020, 9, 29)

# registry number -> values and parties. Signed ones are "signed" at the plenary session.
SAMPLE_AGREEMENTS = {
    "S-2020-001": {
        "kind": "agreement",
        "status": "signed",
        **sample_title(
            "Соглашение о торгово-экономическом сотрудничестве двух условных регионов",
            "Пагадненне аб гандлёва-эканамічным супрацоўніцтве двух умоўных рэгіёнаў",
            "Agreement on trade and economic cooperation between two sample regions",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: обмен делегациями, совместные выставки.",
            "Дэманстрацыйныя дадзеныя: абмен дэлегацыямі, сумесныя выставы.",
            "Demo data: exchange of delegations, joint exhibitions.",
        ),
        "value": None,
        "currency": "",
        "parties": [
            _party("regional_authority", "RU", "RU-SMO",
                   "Условный орган власти Смоленской области (образец)",
                   "Умоўны орган улады Смаленскай вобласці (узор)",
                   "Sample regional authority, Smolensk Region"),
            _party("regional_authority", "BY", "BY-VI",
                   "Условный орган власти Витебской области (образец)",
                   "Умоўны орган улады Віцебскай вобласці (узор)",
                   "Sample regional authority, Vitebsk Region"),
        ],
    },
    "S-2020-002": {
        "kind": "contract",
        "status": "signed",
        **sample_title(
            "Контракт на поставку сельскохозяйственной техники",
            "Кантракт на пастаўку сельскагаспадарчай тэхнікі",
            "Contract for the supply of agricultural machinery",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: поставка условной техники.",
            "Дэманстрацыйныя дадзеныя: пастаўка ўмоўнай тэхнікі.",
            "Demo data: supply of made-up machinery.",
        ),
        "value": Decimal("1500000.00"),
        "currency": "USD",
        "parties": [
            _party("company", "BY", "BY-MI", "ОАО «Образец-Маш» (образец)",
                   "ААТ «Узор-Маш» (узор)", "Obrazets-Mash JSC (sample)"),
            _party("company", "RU", "RU-KLU", "ООО «Пример-Агро» (образец)",
                   "ТАА «Прыклад-Агра» (узор)", "Primer-Agro LLC (sample)"),
        ],
    },
    "S-2020-003": {
        "kind": "memorandum",
        "status": "signed",
        **sample_title(
            "Меморандум о сотрудничестве в сфере образования и молодёжной политики",
            "Мемарандум аб супрацоўніцтве ў сферы адукацыі і маладзёжнай палітыкі",
            "Memorandum on cooperation in education and youth policy",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: обмен студентами, летние школы.",
            "Дэманстрацыйныя дадзеныя: абмен студэнтамі, летнія школы.",
            "Demo data: student exchanges, summer schools.",
        ),
        "value": None,
        "currency": "",
        "parties": [
            _party("regional_authority", "RU", "RU-PSK",
                   "Условный орган власти Псковской области (образец)",
                   "Умоўны орган улады Пскоўскай вобласці (узор)",
                   "Sample regional authority, Pskov Region"),
            _party("regional_authority", "BY", "BY-HR",
                   "Условный орган власти Гродненской области (образец)",
                   "Умоўны орган улады Гродзенскай вобласці (узор)",
                   "Sample regional authority, Grodno Region"),
            _party("organisation", "BY", "BY-HR", "Условный университет (образец)",
                   "Умоўны ўніверсітэт (узор)", "Sample university"),
        ],
    },
    "S-2020-004": {
        "kind": "contract",
        "status": "signed",
        **sample_title(
            "Контракт на поставку строительных материалов",
            "Кантракт на пастаўку будаўнічых матэрыялаў",
            "Contract for the supply of building materials",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: условные поставки в течение года.",
            "Дэманстрацыйныя дадзеныя: умоўныя пастаўкі на працягу года.",
            "Demo data: made-up deliveries over one year.",
        ),
        "value": Decimal("25000000.00"),
        "currency": "RUB",
        "parties": [
            _party("company", "RU", "RU-BRY", "АО «Макет-Строй» (образец)",
                   "АТ «Макет-Буд» (узор)", "Maket-Stroy JSC (sample)"),
            _party("company", "BY", "BY-HO", "ОАО «Шаблон-Бетон» (образец)",
                   "ААТ «Шаблон-Бетон» (узор)", "Shablon-Beton JSC (sample)"),
        ],
    },
    "S-2020-005": {
        "kind": "agreement",
        "status": "planned",
        **sample_title(
            "Соглашение о сотрудничестве в сфере туризма",
            "Пагадненне аб супрацоўніцтве ў сферы турызму",
            "Agreement on cooperation in tourism",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: совместные туристические маршруты.",
            "Дэманстрацыйныя дадзеныя: сумесныя турыстычныя маршруты.",
            "Demo data: joint tourist routes.",
        ),
        "value": None,
        "currency": "",
        "parties": [
            _party("regional_authority", "RU", "RU-SPE",
                   "Условный орган власти Санкт-Петербурга (образец)",
                   "Умоўны орган улады Санкт-Пецярбурга (узор)",
                   "Sample city authority, Saint Petersburg"),
            _party("regional_authority", "BY", "BY-MA",
                   "Условный орган власти Могилёвской области (образец)",
                   "Умоўны орган улады Магілёўскай вобласці (узор)",
                   "Sample regional authority, Mogilev Region"),
        ],
    },
    "S-2020-006": {
        "kind": "contract",
        "status": "planned",
        **sample_title(
            "Контракт на поставку молочной продукции",
            "Кантракт на пастаўку малочнай прадукцыі",
            "Contract for the supply of dairy products",
        ),
        **tr(
            "subject",
            "Демонстрационные данные: условные поставки.",
            "Дэманстрацыйныя дадзеныя: умоўныя пастаўкі.",
            "Demo data: made-up deliveries.",
        ),
        "value": Decimal("3000000.00"),
        "currency": "BYN",
        "parties": [
            _party("company", "BY", "BY-BR", "ОАО «Проба-Молоко» (образец)",
                   "ААТ «Проба-Малако» (узор)", "Proba-Moloko JSC (sample)"),
            _party("company", "RU", "RU-NIZ", "ООО «Эскиз-Торг» (образец)",
                   "ТАА «Эскіз-Гандаль» (узор)", "Eskiz-Torg LLC (sample)"),
        ],
    },
}  # fmt: skip


# --- Loading -------------------------------------------------------------------------------------


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


def _check_party_count(agreement: Agreement, *, count: int) -> None:
    # The parties are saved right after the agreement; count the ones about to be.
    agreement_check_parties(agreement=agreement, parties=count)


class _Loader:
    def __init__(self):
        self.stats = DemoStats()
        self._regions = {region.code: region for region in Region.objects.all()}

    def region(self, code: str | None) -> Region | None:
        return self._regions[code] if code else None

    def upsert(self, model, lookup: dict, values: dict, *, before_clean=None):
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
            if before_clean:
                before_clean(obj)
            obj.full_clean()
            obj.save()
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.stats.record(model.__name__, outcome)
        return obj

    def set_m2m(self, manager, objects) -> bool:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) == wanted:
            return False
        manager.set(objects)
        return True

    # -- the archive and the Seventh Forum

    def forums(self) -> dict[int, Forum]:
        forums = {}
        for row in load_editions():
            values = edition_values(row)
            if row["number"] == SEVENTH:
                values.update(SEVENTH_OVERRIDES)
            forums[row["number"]] = self.upsert(Forum, {"number": row["number"]}, values)
        return forums

    def seventh_forum(self, forum: Forum) -> dict[str, Event]:
        days = {
            day: self.upsert(Day, {"forum": forum, "date": day}, values) for day, values in DAYS
        }
        venues = {}
        for key, spec in VENUES.items():
            values = {**spec, "region": self.region(spec["region"])}
            name_ru = values.pop("name_ru")
            venues[key] = self.upsert(Venue, {"forum": forum, "name_ru": name_ru}, values)
        commission_values = dict(YOUTH_COMMISSION)
        commission = self.upsert(
            Commission, {"name_ru": commission_values.pop("name_ru")}, commission_values
        )
        events = {}
        for slug, (day, kind, number, venue_keys, texts) in EVENTS.items():
            values = {
                "day": days[day],
                "kind": kind,
                "number": number,
                "commission": commission if kind == "commission_meeting" else None,
                "format": "online",
                "starts_at": None,
                "ends_at": None,
                "video_conference_url": SAMPLE_VIDEO_LINKS.get(slug, ""),
                "is_published": True,
                **texts,
            }
            event = self.upsert(Event, {"forum": forum, "slug": slug}, values)
            if self.set_m2m(event.venues, [venues[key] for key in venue_keys]):
                self.stats.record("Event venues", "updated")
            events[slug] = event
        self._venues = venues
        return events

    # -- sample data

    def delegates(self) -> dict[int, Delegate]:
        delegates = {}
        for index, row in enumerate(SAMPLE_DELEGATES, start=1):
            last, first, country, region, category, language, organisation = row
            phone = (
                f"+375 00 000-00-{index:02d}" if country == "BY" else f"+7 000 000-00-{index:02d}"
            )
            values = {
                **tr("last_name", *last),
                **tr("first_name", *first),
                **tr("middle_name", "", "", ""),
                "country": country,
                "region": self.region(region),
                "category": category,
                **SAMPLE_POSITION,
                **tr("organisation", *organisation),
                "email": f"sample{index:02d}@example.org",
                "phone": phone,
                "language": language,
                "is_sample": True,
            }
            delegates[index] = self.upsert(
                Delegate, {"external_id": sample_delegate_id(index)}, values
            )
        return delegates

    def assignments(self, delegates: dict[int, Delegate], events: dict[str, Event]) -> None:
        order = Counter()
        for delegate_index, slug, role, venue_key in SAMPLE_ASSIGNMENTS:
            order[slug] += 1
            values = {
                "role": role,
                "participation": "in_person" if venue_key else "remote",
                "venue": self._venues[venue_key] if venue_key else None,
                "order": order[slug],
            }
            self.upsert(
                Assignment,
                {"delegate": delegates[delegate_index], "event": events[slug]},
                values,
            )

    def agreements(self, forum: Forum, events: dict[str, Event]) -> None:
        for registry_number, spec in SAMPLE_AGREEMENTS.items():
            values = dict(spec)
            parties = values.pop("parties")
            signed = values["status"] == "signed"
            values.update(
                signed_on=SIGNED_ON if signed else None,
                event=events["plenary-session"] if signed else None,
                is_public=True,
                is_sample=True,
            )

            agreement = self.upsert(
                Agreement,
                {"forum": forum, "registry_number": registry_number},
                values,
                before_clean=partial(_check_party_count, count=len(parties)),
            )
            for order, party in enumerate(parties, start=1):
                party_values = {
                    **party,
                    "region": self.region(party["region"]),
                    **tr("signatory", "", "", ""),
                    **tr("signatory_position", "", "", ""),
                }
                self.upsert(Party, {"agreement": agreement, "order": order}, party_values)

    def secretariat_user(self) -> None:
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        created = user is None
        if created:
            user = User(username=DEMO_USERNAME)
        changed = False
        for name, value in {"is_staff": True, "is_superuser": False, "is_active": True}.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
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
        loader.secretariat_user()
    return loader.stats
