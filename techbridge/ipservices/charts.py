"""Charts drawn on the server as SVG, for the PDF report (WeasyPrint runs no JavaScript).

Pure: numbers and labels in, an SVG document out. Bars and lines in the platform's two colours, the
labels in the report's CJK font. ``data_uri`` embeds a chart in an ``<img>``.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

COLOURS = ("#0b5cab", "#e8833a", "#2e9d5b", "#8e44ad")
FONT = "Noto Sans CJK SC, Source Han Sans SC, sans-serif"


def _nice_max(value: float) -> float:
    """The top of the axis: four equal steps of a round size (1, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ; whole
    numbers below 10, since the charts count patents)."""
    if value <= 0:
        return 4
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for step in (1, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step == 2.5 and magnitude == 1:
            continue
        if step * magnitude >= raw:
            return 4 * step * magnitude
    return 40 * magnitude


def _text(
    x: float, y: float, text: str, *, size: int = 11, anchor: str = "middle", fill: str = "#333"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-family="{FONT}" fill="{fill}">{escape(str(text))}</text>'
    )


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def _axes(body: list[str], left: int, top: int, plot_w: int, plot_h: int, top_value: float) -> None:
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        body.append(_text(left - 6, y + 4, label, size=10, anchor="end", fill="#666"))


def bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """Grouped vertical bars: one group per label, one bar per series, with a legend."""
    left, right, top, bottom = 48, 12, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _n, values in series for v in values), default=0))
    body: list[str] = []
    _axes(body, left, top, plot_w, plot_h, top_value)
    n = max(len(labels), 1)
    group_w = plot_w / n
    bar_w = group_w * 0.8 / max(len(series), 1)
    for i, label in enumerate(labels):
        x0 = left + i * group_w + group_w * 0.1
        for j, (_name, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = plot_h * value / top_value
            body.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
        cx = left + i * group_w + group_w / 2
        if n <= 12 or i % max(1, n // 12) == 0:
            body.append(
                f'<g transform="translate({cx:.1f},{top + plot_h + 12}) rotate(35)">'
                + _text(0, 0, str(label)[:10], size=10, anchor="start")
                + "</g>"
            )
    _legend(body, series, left, 14)
    return _svg(width, height, body, title)


def hbars(labels: Sequence[str], values: Sequence[float], *, title: str = "", width: int = 640) -> str:
    """Horizontal bars, one per label (top applicants)."""
    row_h, left, right, top = 22, 200, 48, 12
    height = top * 2 + row_h * max(len(labels), 1)
    plot_w = width - left - right
    top_value = _nice_max(max(values, default=0))
    body: list[str] = []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + i * row_h
        w = plot_w * value / top_value
        body.append(_text(left - 6, y + 15, str(label)[:16], size=11, anchor="end"))
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{COLOURS[0]}"/>'
        )
        body.append(_text(left + w + 4, y + 15, f"{value:g}", size=10, anchor="start", fill="#555"))
    return _svg(width, height, body, title)


def lines(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """Lines over the labels (years), one per series, with a legend."""
    left, right, top, bottom = 48, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _n, values in series for v in values), default=0))
    body: list[str] = []
    _axes(body, left, top, plot_w, plot_h, top_value)
    n = len(labels)
    step = plot_w / max(n - 1, 1)
    for j, (_name, values) in enumerate(series):
        points = " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * v / top_value:.1f}" for i, v in enumerate(values)
        )
        colour = COLOURS[j % len(COLOURS)]
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            body.append(
                f'<circle cx="{left + i * step:.1f}" cy="{top + plot_h - plot_h * v / top_value:.1f}" '
                f'r="2.5" fill="{colour}"/>'
            )
    for i, label in enumerate(labels):
        if n <= 12 or i % max(1, n // 10) == 0 or i == n - 1:
            body.append(_text(left + i * step, top + plot_h + 16, str(label), size=10))
    _legend(body, series, left, 14)
    return _svg(width, height, body, title)


def _legend(body: list[str], series: Sequence[tuple[str, Sequence[float]]], x: float, y: float) -> None:
    for j, (name, _values) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        body.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, y, name, size=11, anchor="start"))
        x += 24 + 12 * len(str(name))


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
