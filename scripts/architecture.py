#!/usr/bin/env python3
"""Write the floors and the real dependencies between apps into docs/architecture.md.

    .venv/bin/python scripts/architecture.py          rewrite the generated section
    .venv/bin/python scripts/architecture.py --check  exit 1 if the section is stale

The floors come from ``.importlinter`` (the contract ``make lint`` enforces); the edges come from the
code itself (grimp's import graph, tests and migrations left out). The section sits between the markers
``<!-- floors:start -->`` and ``<!-- floors:end -->``; everything else in the document is written by hand.
"""

from __future__ import annotations

import configparser
import re
import sys
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- floors:start -->", "<!-- floors:end -->"
TOP_LEVEL = {"urls", "api_urls", "celery", "wsgi", "asgi", "settings"}


def floors() -> list[list[tuple[str, bool]]]:
    """The layers of the contract, top first: [(app, planned)]."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    rows = []
    for line in config["importlinter:contract:floors"]["layers"].strip().splitlines():
        apps = []
        for part in re.split(r"[|:]", line):
            name = part.strip()
            planned = name.startswith("(")
            app = name.strip("()").removeprefix("techbridge.")
            if app and app not in TOP_LEVEL:
                apps.append((app, planned))
        if apps:
            rows.append(apps)
    return rows


def edges() -> dict[str, set[str]]:
    """App → the apps it imports, from the code (tests, conftests and migrations left out)."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("techbridge")
    out: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 3 or "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        app = parts[1]
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[1] != app and other[1] not in TOP_LEVEL:
                out[app].add(other[1])
    return out


def render() -> str:
    existing = {p.name for p in (ROOT / "techbridge").iterdir() if (p / "apps.py").exists()} | {"lib"}
    deps = edges()
    lines = [START, "", "```"]
    for n, row in enumerate(floors()):
        names = [f"{app}{' (planned)' if planned and app not in existing else ''}" for app, planned in row]
        lines.append(f"floor {len(floors()) - n - 1:>2}  " + "  ·  ".join(names))
    lines += ["```", "", "| app | imports (from the code) |", "|---|---|"]
    for row in floors():
        for app, _planned in row:
            if app in existing:
                used = ", ".join(sorted(deps.get(app, set()))) or "—"
                lines.append(f"| `{app}` | {used} |")
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{DOC}: add the markers {START} and {END} where the section goes", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    new = head + render() + tail
    if "--check" in sys.argv:
        if new != text:
            print("docs/architecture.md is stale: run scripts/architecture.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: floors and dependencies written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
