"""Markdown file helpers for reports that scripts keep up to date (docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, section: str, title: str) -> None:
    """Write ``section`` (which starts with the heading ``title``) into ``path`` in place of the old
    section under that heading — up to the next ``## `` heading — or append it when there is none."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = old.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == title), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
        before = "\n".join(lines[:start]).rstrip("\n")
        after = "\n".join(lines[end:]).strip("\n")
        new = (before + "\n\n" if before else "") + section.rstrip("\n") + "\n"
        new += "\n" + after + "\n" if after else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
