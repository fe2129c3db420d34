"""The server-drawn SVG charts: well-formed, accessible, escaped, proportional, CSP-clean."""

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from tracker import charts
from tracker.charts import bar_chart, column_chart

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>&\"'"


@pytest.fixture(autouse=True)
def app_context():
    """Replaces conftest's: the charts are pure functions and need no app or database."""
    yield


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    root = ET.fromstring(str(markup))  # raises unless well-formed, namespaced XML
    assert root.tag == f"{NS}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if "chart-bar" in r.get("class", "").split()]


def widths(root: ET.Element) -> list[float]:
    return [float(bar.get("width")) for bar in bars(root)]


def heights(root: ET.Element) -> list[float]:
    return [float(bar.get("height")) for bar in bars(root)]


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [t.text for t in root.iter(f"{NS}text") if css_class in t.get("class", "").split()]


def bar(rows, **kwargs) -> ET.Element:
    return parse(bar_chart(rows, title="Title", description="Description", **kwargs))


def column(points, **kwargs) -> ET.Element:
    return parse(column_chart(points, title="Title", description="Description", **kwargs))


def test_one_bar_per_row_with_its_label_and_value():
    root = bar([("Alpha", 3), ("Beta", 2), ("Gamma", 1)])
    assert len(bars(root)) == 3
    assert texts(root, "chart-label") == ["Alpha", "Beta", "Gamma"]
    assert texts(root, "chart-value") == ["3", "2", "1"]
    assert "chart" in root.get("class").split()


def test_the_chart_grows_with_its_rows_and_scales_by_its_view_box():
    short, tall = bar([("a", 1)]), bar([("a", 1)] * 10)
    assert float(tall.get("viewBox").split()[3]) > float(short.get("viewBox").split()[3])
    for root in (short, tall):
        assert root.get("viewBox").split()[:3] == ["0", "0", str(charts.WIDTH)]
        assert root.get("width") is None and root.get("height") is None
        assert root.get("preserveAspectRatio") == "xMinYMin meet"


def test_bar_widths_are_proportional_to_the_values():
    full, half, quarter = widths(bar([("a", 80), ("b", 40), ("c", 20)]))
    assert full > 0
    assert half == pytest.approx(full / 2, abs=0.01)
    assert quarter == pytest.approx(full / 4, abs=0.01)


def test_max_value_is_honoured():
    (half,) = widths(bar([("a", 50)], max_value=100))
    (full,) = widths(bar([("a", 100)], max_value=100))
    assert half == pytest.approx(full / 2, abs=0.01)
    (over,) = widths(bar([("a", 150)], max_value=100))
    assert over == full  # a value above the maximum stops at the full length


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf"), None])
def test_zero_negative_and_nan_values_draw_zero_width_bars(bad):
    root = bar([("bad", bad), ("good", 10)])
    assert widths(root)[0] == 0
    assert widths(root)[1] > 0
    assert texts(root, "chart-value")[0] == "0"


def test_all_zero_values_and_a_zero_maximum_do_not_divide_by_zero():
    assert widths(bar([("a", 0), ("b", 0)])) == [0, 0]
    assert widths(bar([("a", 0)], max_value=0)) == [0]
    assert heights(column([("2024", 0)], max_value=0)) == [0]


def test_labels_are_escaped_text_never_markup():
    markup = bar_chart(
        [(HOSTILE, 1)], title=HOSTILE, description=HOSTILE, value_format=lambda v: HOSTILE
    )
    root = parse(markup)
    assert "<script" not in str(markup)
    assert not list(root.iter(f"{NS}script")) and not list(root.iter("script"))
    assert texts(root, "chart-label") == [HOSTILE]
    assert texts(root, "chart-value") == [HOSTILE]
    assert root.find(f"{NS}title").text == HOSTILE
    assert root.find(f"{NS}desc").text == HOSTILE
    assert root.find(f"{NS}g/{NS}title").text == HOSTILE


def test_column_labels_are_escaped_too():
    root = column([(HOSTILE, 1)])
    assert texts(root, "chart-label") == [HOSTILE]
    assert root.find(f"{NS}g/{NS}title").text == HOSTILE


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_a_title():
    label = "The Very Long Name of a Company Limited"
    root = bar([(label, 1)])
    (shown,) = texts(root, "chart-label")
    assert shown.endswith("…") and len(shown) <= 22
    assert label.startswith(shown[:-1])
    assert root.find(f"{NS}g/{NS}title").text == label


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_title_and_desc_come_first_and_name_the_picture(chart):
    root = parse(chart([("2024", 1)], title="Signatories", description="Per country"))
    assert root.get("role") == "img"
    assert root.get("focusable") == "false"
    title, desc = list(root)[:2]
    assert (title.tag, title.text) == (f"{NS}title", "Signatories")
    assert (desc.tag, desc.text) == (f"{NS}desc", "Per country")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_ids_are_unique_across_calls_or_as_given():
    first, second = bar([("a", 1)]), bar([("a", 1)])
    assert first.find(f"{NS}title").get("id") != second.find(f"{NS}title").get("id")
    root = bar([("a", 1)], chart_id="rates")
    assert root.get("aria-labelledby") == "rates-title rates-desc"
    with pytest.raises(ValueError, match="a chart id is a letter then letters"):
        bar_chart([("a", 1)], title="t", description="d", chart_id='x" onload="alert(1)')


def test_a_title_without_ascii_letters_still_gets_a_valid_id():
    root = parse(bar_chart([("a", 1)], title="報告率", description="d"))
    assert root.find(f"{NS}title").get("id").startswith("chart-")


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_no_rows_say_no_data_in_the_callers_words(chart):
    root = parse(chart([], title="t", description="d"))
    assert texts(root, "chart-empty") == ["No data"]
    assert bars(root) == []
    root = parse(chart([], title="t", description="d", empty_text="Keine Daten & <mehr>"))
    assert texts(root, "chart-empty") == ["Keine Daten & <mehr>"]
    assert root.find(f"{NS}title").text == "t"


def test_tones_become_classes_and_unknown_tones_are_refused():
    root = bar([("a", 1, "success"), ("b", 1, "danger"), ("c", 1), ("d", 1, None)])
    classes = [b.get("class").split() for b in bars(root)]
    assert classes == [
        ["chart-bar", "chart-bar--success"],
        ["chart-bar", "chart-bar--danger"],
        ["chart-bar"],
        ["chart-bar"],
    ]
    for chart in (bar_chart, column_chart):
        with pytest.raises(ValueError, match="tone"):
            chart([("a", 1, "purple")], title="t", description="d")
        with pytest.raises(ValueError, match="a chart row is"):
            chart([("a", 1, "info", "extra")], title="t", description="d")


def test_columns_per_year_with_values_above_and_labels_below():
    root = column(
        [("2022", 40), ("2023", 80), ("2024", 20.25)],
        max_value=100,
        value_format=lambda v: f"{v:.0f}%",
    )
    low, high, last = heights(root)
    assert low == pytest.approx(high / 2, abs=0.01)
    assert last == pytest.approx(high / 80 * 20.25, abs=0.01)
    assert texts(root, "chart-label") == ["2022", "2023", "2024"]
    assert texts(root, "chart-value") == ["40%", "80%", "20%"]
    baseline = {float(b.get("y")) + float(b.get("height")) for b in bars(root)}
    assert len(baseline) == 1  # every column stands on the same line
    (full,) = heights(column([("2024", 100)], max_value=100))
    assert heights(root)[1] == pytest.approx(full * 0.8, abs=0.01)


def test_the_default_format_rounds_to_one_decimal():
    root = bar([("a", 12), ("b", 12.34), ("c", 0.04), ("d", 1234.56)])
    assert texts(root, "chart-value") == ["12", "12.3", "0", "1234.6"]


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
@pytest.mark.parametrize("rows", [[], [("a", 1, "info"), (HOSTILE, -1), ("c", float("nan"))]])
def test_nothing_the_csp_forbids(chart, rows):
    root = parse(chart(rows, title=HOSTILE, description="d"))
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag.removeprefix(NS) not in {"style", "script", "foreignObject"}
