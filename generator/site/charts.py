"""Bar charts as inline SVG, made at build time: no chart library, no request elsewhere.

Each chart carries its own text alternative (``<title>`` and ``<desc>``); the page shows the
same figures as a table next to it.
"""

from __future__ import annotations

from markupsafe import Markup

from .fmt import md as escape

# A narrow drawing with large text, so the labels stay readable when a phone scales it down.
BAR_HEIGHT = 30
GAP = 12
LABEL_WIDTH = 170
BAR_AREA = 190
VALUE_WIDTH = 150
COLOURS = ("#1f4e8c", "#8a4b08")  # both at least 7:1 against white
# Series 2, a proposal rather than a decision: the first colour in stripes, so it reads as
# different without colour too.
STRIPES = (
    '<defs><pattern id="{id}-forslag" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
    '<rect width="4" height="8" fill="#1f4e8c"/></pattern></defs>'
)


def bar_chart(chart_id: str, title: str, bars: list[tuple]) -> Markup:
    """``bars``: (label, value or None, value as text, series 0, 1 or 2: a proposal, drawn
    striped[, open]). A None value draws no bar but keeps its row and text, e.g. 'färre än
    5'. An open bar ("fler än 400") ends in an arrowhead: the value is more than its length."""
    largest = max((bar[1] for bar in bars if bar[1]), default=0) or 1
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    desc = "; ".join(f"{bar[0]}: {bar[2]}" for bar in bars)
    rows = []
    for i, (label, value, text, series, *more) in enumerate(bars):
        open_end = bool(more and more[0])
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * (value or 0) / largest, 1)
        middle = y + BAR_HEIGHT / 2
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
        if value:
            fill = f"url(#{chart_id}-forslag)" if series == 2 else COLOURS[series % 2]
            rows.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                f'fill="{fill}" stroke="{COLOURS[series % 2]}"/>'
            )
        if value and open_end:
            tip = LABEL_WIDTH + length
            rows.append(
                f'<path d="M{tip},{y - 4} l12,{BAR_HEIGHT / 2 + 4} l-12,{BAR_HEIGHT / 2 + 4}z" '
                f'fill="{COLOURS[series % 2]}"/>'
            )
            length += 12
        rows.append(
            f'<text x="{LABEL_WIDTH + length + 8}" y="{middle}" '
            f'dominant-baseline="middle">{escape(text)}</text>'
        )
    # The div makes the chart one raw HTML block, so Markdown never reads its text.
    return Markup(
        f'<div class="portal-chart-wrap"><svg class="portal-chart" role="img" '
        f'viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + (STRIPES.format(id=chart_id) if any(b[3] == 2 for b in bars) else "")
        + "".join(rows)
        + "</svg></div>"
    )
