"""The site speaks Simplified Chinese by default and English on request, from a complete catalogue.

Every app keeps its own catalogue (``techbridge/<app>/locale/zh_Hans/LC_MESSAGES/django.po``), so apps
that grow in parallel never edit the same file; ``locale/`` at the root holds the strings of the shared
templates. The checks read each catalogue with a small parser (no polib), so they also run where gettext
is not installed. After ``make messages`` picks up new strings, these tests fail until every new entry is
translated and the ``.mo`` is compiled again.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from techbridge.testing.factories import AchievementFactory, publish

ROOT_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalogues() -> list[Path]:
    """The root catalogue and the catalogue of every installed TechBridge app."""
    found = [ROOT_CATALOGUE]
    for config in apps.get_app_configs():
        if config.name.startswith("techbridge."):
            po = Path(config.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
            if po.exists():
                found.append(po)
    return found


CATALOGUES = _catalogues()
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\w*\}")


# ---- the catalogue -------------------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    path: str = "django.po"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line} {self.msgid!r}"


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body[1:-1])


def _short(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR)) if path.is_relative_to(settings.BASE_DIR) else str(path)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, obsolete ones (``#~``) left out; the header is the entry with msgid ""."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        keyword = line.split(" ", 1)[0]
        if line.startswith("#"):
            if entry is not None and target is not None and target[0] == "msgstr":
                entry, target = None, None  # a comment after msgstr starts the next entry
            if entry is None:
                entry = Entry(line=number, path=_short(path))
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if keyword in ("msgctxt", "msgid") and (entry is None or (target and target[0] == "msgstr")):
            entry = Entry(line=number, path=_short(path))
            entries.append(entry)
        assert entry is not None, f"django.po:{number}: text outside an entry"
        if line.startswith('"'):
            assert target is not None, f"django.po:{number}: continuation outside a string"
            value = _unquote(line)
        else:
            value = _unquote(line[len(keyword) :])
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
            if keyword == "msgstr" or match:
                entry.msgstr.setdefault(target[1], "")
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] += value
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif name == "msgid":
            entry.msgid += value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            raise AssertionError(f"django.po:{number}: unknown keyword {keyword}")
    return entries


@pytest.fixture(scope="module", params=CATALOGUES, ids=lambda p: _short(p).split("/locale/")[0])
def catalogue(request) -> list[Entry]:
    entries = parse_po(request.param)
    assert entries and entries[0].msgid == "", f"{request.param} starts with its header"
    return entries


@pytest.fixture(scope="module")
def all_entries() -> list[Entry]:
    return [e for path in CATALOGUES for e in parse_po(path)]


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


def test_the_catalogues_have_many_entries(all_entries):
    # A guard against parsing nothing (and so checking nothing) below.
    assert len(messages(all_entries)) > 2000


def test_every_app_with_translatable_text_has_its_own_catalogue():
    missing = []
    for config in apps.get_app_configs():
        if not config.name.startswith("techbridge.") or config.name == "techbridge.testing":
            continue
        has_text = any(
            "gettext" in p.read_text(encoding="utf-8") or "{% translate" in p.read_text(encoding="utf-8")
            for p in Path(config.path).rglob("*")
            if p.suffix in (".py", ".html") and "tests" not in p.parts and "migrations" not in p.parts
        )
        po = Path(config.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if has_text and not po.exists():
            missing.append(config.name)
    assert missing == [], "create <app>/locale/zh_Hans/LC_MESSAGES/ and run `make messages`"


def test_no_entry_is_fuzzy(catalogue):
    assert [e.where for e in catalogue if "fuzzy" in e.flags] == []


def test_every_entry_is_translated(catalogue):
    untranslated = [e.where for e in messages(catalogue) if not e.msgstr or not all(e.msgstr.values())]
    assert untranslated == [], "run `make messages`, translate these entries, compile again"


def test_header_declares_chinese_with_one_plural_form(catalogue):
    header = catalogue[0].msgstr[0]
    assert "Language: zh_Hans\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header
    assert "charset=UTF-8" in header
    plurals = [e for e in messages(catalogue) if e.msgid_plural is not None]
    assert [e.where for e in plurals if set(e.msgstr) != {0}] == []


def test_translations_keep_their_placeholders(catalogue):
    wrong = []
    for e in messages(catalogue):
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((e.where, text))
    assert wrong == []


def test_translations_are_chinese(catalogue):
    # Only the brand and pure format strings (placeholders and punctuation) may be without Chinese.
    cjk = re.compile(r"[\u4e00-\u9fff]")
    latin = [
        e.where
        for e in messages(catalogue)
        if not cjk.search(e.msgstr.get(0, ""))
        and e.msgid != "TechBridge"
        and re.search(r"[A-Za-z]", PLACEHOLDER.sub("", e.msgstr.get(0, "")))
    ]
    assert latin == []


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """The committed .mo serves machines without msgfmt: it must be compiled from this very .po."""
    mo_path = Path(settings.BASE_DIR) / catalogue[0].path.replace(".po", ".mo")
    with open(mo_path, "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in messages(catalogue):
        if not e.msgstr.get(0):
            continue  # untranslated: reported by test_every_entry_is_translated
        if e.msgid_plural is not None and e.msgctxt is not None:
            got = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
        elif e.msgid_plural is not None:
            got = compiled.ngettext(e.msgid, e.msgid_plural, 1)
        elif e.msgctxt is not None:
            got = compiled.pgettext(e.msgctxt, e.msgid)
        else:
            got = compiled.gettext(e.msgid)
        if got != e.msgstr[0]:
            stale.append(e.where)
    assert stale == [], "django.mo is stale: run `make messages` (or compilemessages)"


# ---- the pages -----------------------------------------------------------------------------------


@pytest.fixture
def published_achievement(org, actor):
    achievement = AchievementFactory(owner=org, created_by=actor, title="一种柔性钙钛矿电池封装方法")
    publish(achievement)
    return achievement


@pytest.mark.django_db
def test_home_page_is_chinese_by_default(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "南京科技成果转移转化服务平台" in html
    assert ">科技成果</a>" in html  # the main menu
    assert "最新科技成果" in html
    assert "Nanjing Technology Transfer Platform" not in html


@pytest.mark.django_db
def test_achievement_list_is_chinese_by_default(client, published_achievement):
    html = client.get(reverse("achievements:list")).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "科技成果" in html
    assert "产业领域" in html  # a filter label
    assert "共 1 条结果" in html  # a plural form
    assert "发明专利" in html  # a model choice
    assert "技术成熟度 5 级" in html
    assert "面议" in html
    assert "Industry field" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["accept-language", "cookie"])
def test_pages_are_english_on_request(client, published_achievement, how):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    else:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"

    home = client.get(reverse("portal:home")).content.decode()
    listing = client.get(reverse("achievements:list")).content.decode()

    assert '<html lang="en">' in home
    assert "Nanjing Technology Transfer Platform" in home
    assert ">Achievements</a>" in home
    assert "南京科技成果转移转化服务平台" not in home
    assert "Industry field" in listing
    assert "1 result" in listing
    assert "Invention patent" in listing
    assert "产业领域" not in listing


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Nanjing Technology Transfer Platform" in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "南京科技成果转移转化服务平台" in client.get("/").content.decode()
