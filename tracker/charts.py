"""Bar and column charts drawn on the server as inline SVG, for the staff dashboard.

Hand-written on purpose: each chart is a few dozen lines of SVG, while chart libraries such as
pygal inject inline styles and scripts that the Content-Security-Policy (default-src 'self')
forbids and that fail accessibility checks. So there is no style attribute, no <style> and no
<script> here: geometry goes in presentation attributes, colours come from the chart classes
in static/css/app.css. Each chart is one picture (role="img") named by its <title> and <desc>;
the template puts the same numbers in a table beside it, and that table is the text alternative.
"""

import math
import re
import secrets
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
TONES = frozenset({"success", "warning", "danger", "info", "neutral"})

# A row is (label, value) or (label, value, tone); the tone picks the class chart-bar--{tone}.
Row = tuple[str, float] | tuple[str, float, str | None]

WIDTH = 480  # viewBox width in user units; CSS scales it to its box (narrow: text stays legible)
FONT_SIZE = 14  # the `.chart text` font-size in app.css (px are user units in SVG)
PAD = 8

# Bar chart: labels right-aligned left of BAR_X, bars after it, room for the value at the end.
LABEL_CHARS = 22
BAR_X = 184
VALUE_ROOM = 72
BAR_SPACE = WIDTH - BAR_X - VALUE_ROOM
ROW_HEIGHT = 28
BAR_HEIGHT = 18

# Column chart: values above the columns, labels below the baseline.
PLOT_TOP = 28
PLOT_HEIGHT = 180
BASELINE = PLOT_TOP + PLOT_HEIGHT
COLUMN_HEIGHT = BASELINE + 32
COLUMN_MAX_WIDTH = 72


def _default_format(value: float) -> str:
    """12 → "12", 12.34 → "12.3": one decimal at most, none when the number is whole."""
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(
    rows: Sequence[Row],
    *,
    title: str,
    description: str,
    value_format: Callable[[float], str] = _default_format,
    max_value: float | None = None,
    empty_text: str = "No data",
    chart_id: str | None = None,
) -> Markup:
    """Horizontal bars, one per row: the label on the left, the value at the end of the bar."""
    ident = _chart_id(chart_id, title)
    parsed = _parse(rows)
    if not parsed:
        return _empty(ident, title, description, empty_text)
    top = _top([value for _, value, _ in parsed], max_value)
    parts = [
        _bar(index, label, value, tone, top, value_format)
        for index, (label, value, tone) in enumerate(parsed)
    ]
    height = 2 * PAD + ROW_HEIGHT * len(parsed)
    parts.append(_line(BAR_X, PAD / 2, BAR_X, height - PAD / 2))
    return _svg(ident, title, description, height, "".join(parts))


def column_chart(
    points: Sequence[Row],
    *,
    title: str,
    description: str,
    value_format: Callable[[float], str] = _default_format,
    max_value: float | None = None,
    empty_text: str = "No data",
    chart_id: str | None = None,
) -> Markup:
    """Vertical columns, one per point (a year, say): label below, value above each column."""
    ident = _chart_id(chart_id, title)
    parsed = _parse(points)
    if not parsed:
        return _empty(ident, title, description, empty_text)
    top = _top([value for _, value, _ in parsed], max_value)
    slot = (WIDTH - 2 * PAD) / len(parsed)
    parts = [
        _column(index, slot, label, value, tone, top, value_format)
        for index, (label, value, tone) in enumerate(parsed)
    ]
    parts.append(_line(PAD, BASELINE, WIDTH - PAD, BASELINE))
    return _svg(ident, title, description, COLUMN_HEIGHT, "".join(parts))


def _bar(index, label, value, tone, top, value_format) -> str:
    y = PAD + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    length = _length(value, top, BAR_SPACE)
    baseline = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35  # centres the text on the bar
    return (
        f"<g><title>{escape(label)}</title>"
        f'<text class="chart-label" x="{BAR_X - 6}" y="{_n(baseline)}" text-anchor="end">'
        f"{escape(_truncate(label, LABEL_CHARS))}</text>"
        f'<rect class="{_bar_class(tone)}" x="{BAR_X}" y="{_n(y)}" '
        f'width="{_n(length)}" height="{BAR_HEIGHT}"/>'
        f'<text class="chart-value" x="{_n(BAR_X + length + 6)}" y="{_n(baseline)}">'
        f"{escape(_text(value_format(value)))}</text></g>"
    )


def _column(index, slot, label, value, tone, top, value_format) -> str:
    width = min(slot * 0.6, COLUMN_MAX_WIDTH)
    centre = PAD + slot * (index + 0.5)
    height = _length(value, top, PLOT_HEIGHT)
    fits = max(3, int(slot / (FONT_SIZE * 0.6)))  # characters that fit under one column
    return (
        f"<g><title>{escape(label)}</title>"
        f'<rect class="{_bar_class(tone)}" x="{_n(centre - width / 2)}" '
        f'y="{_n(BASELINE - height)}" width="{_n(width)}" height="{_n(height)}"/>'
        f'<text class="chart-value" x="{_n(centre)}" y="{_n(BASELINE - height - 6)}" '
        f'text-anchor="middle">{escape(_text(value_format(value)))}</text>'
        f'<text class="chart-label" x="{_n(centre)}" y="{BASELINE + FONT_SIZE + 6}" '
        f'text-anchor="middle">{escape(_truncate(label, fits))}</text></g>'
    )


def _svg(ident: str, title: str, description: str, height: float, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="{SVG_NS}" class="chart" viewBox="0 0 {WIDTH} {_n(height)}" '
        'preserveAspectRatio="xMinYMin meet" role="img" focusable="false" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(_text(title))}</title>'
        f'<desc id="{ident}-desc">{escape(_text(description))}</desc>'
        f"{body}</svg>"
    )


def _empty(ident: str, title: str, description: str, empty_text: str) -> Markup:
    text = f'<text class="chart-empty" x="{PAD}" y="30">{escape(_text(empty_text))}</text>'
    return _svg(ident, title, description, 48, text)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="chart-axis" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def _parse(rows: Sequence[Row]) -> list[tuple[str, float, str | None]]:
    """Rows as (label text, clean value, tone); an unknown tone is a ValueError."""
    parsed = []
    for row in rows:
        if len(row) not in (2, 3):
            raise ValueError(f"a chart row is (label, value) or (label, value, tone): {row!r}")
        label, value, tone = (*row, None)[:3]
        if tone is not None and tone not in TONES:
            raise ValueError(f"unknown chart tone {tone!r}; use one of {sorted(TONES)}")
        parsed.append((_text(label), _clean(value), tone))
    return parsed


def _clean(value: float | None) -> float:
    """The value to draw: None, NaN, infinities and negative numbers count as 0."""
    number = 0.0 if value is None else float(value)
    return number if math.isfinite(number) and number > 0 else 0.0


def _top(values: list[float], max_value: float | None) -> float:
    """The value drawn at full length: max_value when it is positive, else the largest value."""
    return _clean(max_value) or max(values, default=0.0)


def _length(value: float, top: float, space: float) -> float:
    return space * min(value / top, 1.0) if top else 0.0


def _bar_class(tone: str | None) -> str:
    return f"chart-bar chart-bar--{tone}" if tone else "chart-bar"


def _chart_id(chart_id: str | None, title: str) -> str:
    """The caller's id, or a slug of the title with a random suffix: unique on any page."""
    if chart_id is None:
        slug = re.sub(r"[^a-z0-9]+", "-", _text(title).lower())[:24].strip("-")
        return f"chart-{slug}-{secrets.token_hex(3)}" if slug else f"chart-{secrets.token_hex(3)}"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", chart_id):
        raise ValueError(f"a chart id is a letter then letters, digits, - or _: {chart_id!r}")
    return chart_id


def _text(value: object) -> str:
    """Plain text: Markup loses its tags and entities (SVG text is not HTML); rest is str()."""
    return value.striptags() if isinstance(value, Markup) else str(value)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n(number: float) -> str:
    """A coordinate, to two decimals at most: 12.5, 396, 0."""
    return f"{number:.2f}".rstrip("0").rstrip(".")
