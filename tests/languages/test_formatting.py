"""Sizes, amounts and durations in the reader's language, as the templates write them."""

import pytest
from flask_babel import force_locale


@pytest.mark.parametrize(
    ("language", "size", "written"),
    [  # French writes no-break spaces between number and unit
        ("en", 754, "754 bytes"),
        ("fr", 754, "754\u00a0octets"),
        ("es", 754, "754 bytes"),
        ("en", 1_200, "1.2 kB"),
        ("fr", 1_200, "1,2\u202fko"),
        ("es", 3_400_000, "3,4 MB"),
        ("fr", 5_000_000, "5\u202fMo"),
    ],
)
def test_file_sizes_are_written_the_readers_way(app, language, size, written):
    with app.test_request_context(), force_locale(language):
        rendered = app.jinja_env.from_string("{{ size|filesizeformat }}").render(size=size)
    assert rendered == written
