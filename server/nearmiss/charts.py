"""Small charts drawn on the server as SVG: no JavaScript, no CDN, nothing for a strict CSP to block.

Each function returns markup that is safe to put in a template (every label is escaped). Colours
and sizes are SVG presentation attributes (allowed under `style-src 'self'`); layout lives in
static/review.css. Every chart has a <title> and <desc>, and the page shows the same figures in a
table, so nothing is told by colour alone.
"""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

#: Colour-blind-safe palette (Okabe & Ito), then a neutral grey for "other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER = "#9AA0A6"
#: Verdict colours as on the other pages (dark enough for white text and for the legend).
VERDICT_COLOURS = {"block": "#b3261e", "warn": "#E69F00", "advice": "#0072B2"}
INK = "#1d2330"
GRID = "#d9dde5"


def colour(i: int, name: str = "") -> str:
    return OTHER if name == "other" else PALETTE[i % len(PALETTE)]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if value <= m * step:
                return m * step
        step *= 10


def _ticks(top_value: int) -> int:
    """How many steps up the axis so every gridline is a whole number (top is 1, 2 or 5 × 10^n)."""
    return top_value if top_value <= 5 else 5


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, width: int, height: int, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, int]], *, width: int = 480,
              bar_height: int = 18, colours: Sequence[str] | None = None) -> Markup:
    """Horizontal bars, one per (label, value), largest first as given. Each label sits on its own
    line above its bar, so long labels (rule titles) are never clipped."""
    gap, top, label_h, left = 10, 8, 16, 4
    row = label_h + bar_height + gap
    height = top + max(1, len(items)) * row + 4
    desc = "; ".join(f"{label}: {value}" for label, value in items) or "No data in this period."
    out = _open(chart_id, title, desc, width, height, "bar")
    if not items:
        out.append(f'<text x="8" y="{top + 16}" fill="#5b6475">No near-misses in this period.</text>')
    top_value = _nice_max(max((v for _, v in items), default=0))
    span = width - left - 50
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = span * value / top_value
        fill = colours[i] if colours else PALETTE[0]
        out.append(f'<text x="{left}" y="{y + 12}">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y + label_h}" width="{_fmt(max(w, 1 if value else 0))}" '
                   f'height="{bar_height}" fill="{fill}" rx="3"/>')
        out.append(f'<text x="{_fmt(left + w + 6)}" y="{_fmt(y + label_h + bar_height * 0.75)}">{value}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def stacked_columns(chart_id: str, title: str, categories: Sequence[str],
                    series: Sequence[tuple[str, Sequence[int]]], *, width: int = 720, height: int = 300,
                    colours: Sequence[str] | None = None) -> Markup:
    """One column per category (e.g. week), stacked by series (e.g. verdict), with a legend below."""
    pick = (lambda j, name: colours[j]) if colours else colour  # noqa: E731
    left, right, top, bottom = 40, 10, 10, 40
    legend_rows = (len(series) + 2) // 3
    total_height = height + legend_rows * 20 + 6
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    top_value = _nice_max(max(totals, default=0))
    desc = "; ".join(
        f"{cat}: " + (", ".join(f"{name} {values[i]}" for name, values in series if values[i]) or "none")
        for i, cat in enumerate(categories))
    out = _open(chart_id, title, desc or "No data.", width, total_height, "columns")
    ticks = _ticks(top_value)
    for k in range(ticks + 1):  # horizontal grid lines with their (whole-number) values
        value = top_value * k / ticks
        y = top + plot_h - plot_h * k / ticks
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end">{_fmt(value)}</text>')
    slot = plot_w / max(1, len(categories))
    bar_w = max(4.0, slot * 0.7)
    for i, cat in enumerate(categories):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for j, (name, values) in enumerate(series):
            if not values[i]:
                continue
            h = plot_h * values[i] / top_value
            y -= h
            out.append(f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(h)}" '
                       f'fill="{pick(j, name)}"><title>{escape(cat)}: {escape(name)} {values[i]}</title></rect>')
        if len(categories) <= 16 or i % 2 == 0:
            out.append(f'<text x="{_fmt(left + i * slot + slot / 2)}" y="{top + plot_h + 16}" '
                       f'text-anchor="middle" font-size="11">{escape(cat)}</text>')
    for j, (name, _) in enumerate(series):
        lx = left + (j % 3) * (plot_w / 3)
        ly = height + (j // 3) * 20
        out.append(f'<rect x="{_fmt(lx)}" y="{ly - 10}" width="12" height="12" fill="{pick(j, name)}"/>')
        out.append(f'<text x="{_fmt(lx + 18)}" y="{ly}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
