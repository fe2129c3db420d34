"""The one check of a redirect target that came with a request (sign-in, two-factor step and
the language control all use it)."""

import pytest

from tracker.urls import same_site_path


@pytest.mark.parametrize(
    "target",
    ["/", "/company/", "/signatories?q=lotus&country=TH", "/signatories/caf%C3%A9", "/é"],
)
def test_a_path_on_this_site_is_kept(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "evil.example",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\x7f",
        "/\u2028",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_anything_else_is_refused(target):
    assert same_site_path(target) is None
