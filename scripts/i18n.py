#!/usr/bin/env python3
"""Work with the Chinese catalogues (one per app, see docs/adding-a-model.md).

    python scripts/i18n.py todo [APP ...]        untranslated and fuzzy entries, as JSON lines
    python scripts/i18n.py fill FILE.jsonl       write translations: {"app", "msgid", "msgctxt"?, "msgstr"}
    python scripts/i18n.py init APP              start a new app's catalogue with the project's header

``todo`` prints one JSON object per entry that needs work (``app`` is ``root`` for locale/ at the top);
fill in ``msgstr`` and feed the lines back to ``fill``, which also clears the fuzzy flag. Run
``make messages`` before (to collect new strings) and after (to compile the .mo files).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogue(app: str) -> Path:
    if app == "root":
        return ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    return ROOT / "techbridge" / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def apps() -> list[str]:
    found = ["root"]
    for po in sorted((ROOT / "techbridge").glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        found.append(po.parts[-5])
    return found


def todo(selected: list[str]) -> None:
    for app in selected or apps():
        po = polib.pofile(str(catalogue(app)), wrapwidth=0)
        for e in po:
            if e.obsolete:
                continue
            missing = not e.msgstr and not any(e.msgstr_plural.values())
            if missing or "fuzzy" in e.flags:
                row = {"app": app, "msgid": e.msgid, "msgstr": e.msgstr}
                if e.msgctxt:
                    row["msgctxt"] = e.msgctxt
                if e.msgid_plural:
                    row["msgid_plural"] = e.msgid_plural
                print(json.dumps(row, ensure_ascii=False))


def fill(path: str) -> None:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_app: dict[str, list[dict]] = {}
    for row in rows:
        by_app.setdefault(row.get("app", "root"), []).append(row)
    for app, items in by_app.items():
        po = polib.pofile(str(catalogue(app)), wrapwidth=0)
        for row in items:
            entry = po.find(row["msgid"], msgctxt=row.get("msgctxt"))
            if entry is None:
                print(f"{app}: not in the catalogue: {row['msgid']!r}", file=sys.stderr)
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: row["msgstr"]}
            else:
                entry.msgstr = row["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgctxt = None
        po.save()
        print(f"{app}: {len(items)} entries written")


HEADER = """# Simplified Chinese catalogue of TechBridge (南京科技成果转移转化服务平台), app {app}.
# Workflow: `make messages`, then `python scripts/i18n.py todo {app}` / `fill`, then `make messages` again.
#
msgid ""
msgstr ""
"Project-Id-Version: TechBridge\\n"
"Report-Msgid-Bugs-To: \\n"
"Last-Translator: TechBridge team\\n"
"Language-Team: Simplified Chinese\\n"
"Language: zh_Hans\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


def init(app: str) -> None:
    """Create (or repair the header of) an app's catalogue; ``make messages`` then fills it."""
    path = catalogue(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = polib.pofile(HEADER.format(app=app), wrapwidth=0)
    if path.exists():
        po = polib.pofile(str(path), wrapwidth=0)
        po.header, po.metadata = fresh.header, fresh.metadata
        po.metadata_is_fuzzy = False
        po.save()
    else:
        fresh.save(str(path))
    print(f"{path.relative_to(ROOT)}: ready")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "init":
        init(sys.argv[2])
        raise SystemExit(0)
    if len(sys.argv) < 2 or sys.argv[1] not in ("todo", "fill"):
        print(__doc__)
        raise SystemExit(2)
    if sys.argv[1] == "todo":
        todo(sys.argv[2:])
    else:
        fill(sys.argv[2])
