"""Charts drawn on the server as SVG, for documents (WeasyPrint runs no JavaScript).

Pages draw the same data with Chart.js; these functions give the PDF its pictures. Text is escaped;
``None`` values leave a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Source Han Sans SC, sans-serif"
COLORS = {"on_track": "#2e7d32", "attention": "#ed8b00", "warning": "#c62828", "": "#0b5cab"}


def _svg(width: int, height: int, size: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{size}">'
    )


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def progress_bars(
    rows: Sequence[tuple[str, float | None, str]], *, width: int = 640, cap: float = 150.0
) -> SafeString:
    """Horizontal bars of percent of target: ``(label, percent or None, status)``; 100 % is marked."""
    bar_h, gap, left, right = 18, 8, 210, 60
    height = len(rows) * (bar_h + gap) + 30
    inner = width - left - right
    x100 = left + inner * 100 / cap
    parts = [
        _svg(width, height, 11),
        f'<line x1="{x100:.1f}" y1="4" x2="{x100:.1f}" y2="{height - 20}" '
        'stroke="#555" stroke-dasharray="3,3"/>',
        f'<text x="{x100:.1f}" y="{height - 6}" text-anchor="middle" fill="#555">100%</text>',
    ]
    for i, (label, pct, status) in enumerate(rows):
        y = 6 + i * (bar_h + gap)
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label[:18])}</text>')
        if pct is None:
            parts.append(f'<text x="{left + 4}" y="{y + 13}" fill="#777">–</text>')
            continue
        w = inner * min(max(pct, 0.0), cap) / cap
        color = COLORS.get(status, COLORS[""])
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 13}">{_fmt(pct)}%</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    width: int = 640,
    height: int = 220,
    unit: str = "",
    target: float | None = None,
) -> SafeString:
    """Vertical columns (one series) with an optional target line."""
    left, bottom, top = 60, 30, 16
    inner_w, inner_h = width - left - 10, height - bottom - top
    present = [v for v in values if v is not None]
    top_value = max([*present, target or 0.0, 0.0]) or 1.0
    n = max(len(labels), 1)
    step = inner_w / n
    parts = [
        _svg(width, height, 10),
        f'<line x1="{left}" y1="{top + inner_h}" x2="{width - 10}" y2="{top + inner_h}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{_fmt(top_value)}</text>',
        f'<text x="{left - 4}" y="{top + inner_h}" text-anchor="end">0</text>',
    ]
    if unit:
        parts.append(f'<text x="4" y="{top - 4}">{escape(unit)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step
        if value is not None:
            h = inner_h * max(value, 0.0) / top_value
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{top + inner_h - h:.1f}" '
                f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="#0b5cab"/>'
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle">{escape(str(label))}</text>'
        )
    if target:
        y = top + inner_h - inner_h * target / top_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
            'stroke="#c62828" stroke-dasharray="4,3"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
