"""One rule says which characters are not text: refused at input, stripped from XML."""

import pytest

from tracker.text_rules import is_control, xml_safe


@pytest.mark.parametrize("ch", ["\x00", "\x0b", "\x7f", "\x9f", "\ud800", "\ufffe", "\uffff",
                                "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"])
def test_not_text(ch):
    assert is_control(ch)


@pytest.mark.parametrize("ch", ["\t", "\n", "\r", "a", "é", "\u200d", "\ufdcf", "\ufdf0",
                                "\ufffd", "\U0001f600", "\ue000"])
def test_text(ch):
    assert not is_control(ch)


def test_xml_safe_keeps_only_text():
    assert xml_safe("Lo\x00tus\uffff Tours\t\ud800") == "Lotus Tours\t"
