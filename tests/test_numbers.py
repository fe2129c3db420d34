"""Numbers typed and shown in the reader's language: the parser, and the form fields on it."""

import re
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import NumberRange, Optional

from tracker.formutils import BaseSubForm
from tracker.numbers import (
    LocaleFloatField,
    LocaleIntegerField,
    parse_cell_number,
    parse_cell_whole,
    parse_number,
    parse_whole,
    shown,
)

NNBSP, NBSP = "\u202f", "\u00a0"


def in_language(app, language: str):
    return app.test_request_context(headers={"Accept-Language": language})


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "1 240", 1240),
        ("fr", f"1{NNBSP}240", 1240),  # as French formatting writes it
        ("fr", f"1{NBSP}240", 1240),
        ("fr", "2,5", Decimal("2.5")),
        ("fr", "1 240,75", Decimal("1240.75")),
        ("fr", "2.5", Decimal("2.5")),  # the phone's number pad
        ("es", "1.240", 1240),
        ("es", "2,5", Decimal("2.5")),
        ("es", "2.5", Decimal("2.5")),
        ("es", "1.240,5", Decimal("1240.5")),
        ("es", "1 240", 1240),
        ("en", "1,240", 1240),
        ("en", "2.5", Decimal("2.5")),
        ("en", " 1240 ", 1240),
        ("en", "0", 0),
    ],
)
def test_numbers_are_read_the_readers_way_or_plainly(app, language, text, expected):
    with in_language(app, language):
        assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "abc"),
        ("en", "1,2,3"),
        ("en", "2,5"),  # a decimal comma is no English number
        ("es", "1.2.3"),
        ("fr", "1 2"),  # two numbers, not twelve
        ("fr", "1 24 0"),
        ("en", "1e3"),
        ("en", "NaN"),
        ("en", "Infinity"),
        ("fr", "12 heures"),
        ("en", "1" * 41),
        ("en", "1\n240"),
    ],
)
def test_what_is_no_number_is_refused(app, language, text):
    with in_language(app, language), pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_number(text)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("fr", "1 240", 1240), ("es", "1.240", 1240), ("en", "1,240", 1240), ("en", "12.0", 12)],
)
def test_whole_numbers(app, language, text, expected):
    with in_language(app, language):
        assert parse_whole(text) == expected


@pytest.mark.parametrize(("language", "text"), [("fr", "2,5"), ("es", "2,5"), ("fr", "1,240")])
def test_a_fraction_is_no_whole_number(app, language, text):
    with in_language(app, language), pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_whole(text)


@pytest.mark.parametrize(
    ("language", "cell", "whole"),
    [("fr", "1,234", 1234), ("fr", "1.234", 1234), ("en", "1.234", 1234), ("es", "12,0", 12)],
)
def test_a_spreadsheet_cell_may_come_from_another_language(app, language, cell, whole):
    with in_language(app, language):
        assert parse_cell_whole(cell) == whole


def test_hours_in_a_cell_may_have_a_decimal_comma_whatever_the_reader(app):
    with in_language(app, "en"):
        assert parse_cell_number("2,5") == Decimal("2.5")
        with pytest.raises(ValueError, match="^2,5,5$"):
            parse_cell_number("2,5,5")


@pytest.mark.parametrize(
    ("language", "number", "text"),
    [
        ("fr", 1240, f"1{NNBSP}240"),
        ("fr", 2.5, "2,5"),
        ("es", 1240, "1.240"),
        ("es", 2.5, "2,5"),
        ("en", 1240, "1,240"),
        ("en", 1.3333, "1.3333"),  # every decimal kept: saving again changes nothing
    ],
)
def test_numbers_are_shown_the_readers_way(app, language, number, text):
    with in_language(app, language):
        assert shown(number) == text
        assert parse_number(text) == Decimal(str(number))


class Counts(BaseSubForm):
    people = LocaleIntegerField(
        "People", validators=[Optional(), NumberRange(0, 100, message="From 0 to 100.")]
    )
    hours = LocaleFloatField("Hours", validators=[Optional()])


def posted(**values) -> Counts:
    form = Counts(MultiDict(values))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("language", "people", "hours"),
    [("fr", "1 240", "2,5"), ("es", "1.240", "2,5"), ("en", "1,240", "2.5")],
)
def test_fields_read_the_readers_numbers(app, language, people, hours):
    with in_language(app, language):
        form = Counts(MultiDict({"people": people, "hours": hours}))
        assert (form.people.data, form.hours.data) == (1240, 2.5)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter a whole number, such as 1,240."),
        ("fr", f"Saisissez un nombre entier, par exemple 1{NNBSP}240."),
        ("es", "Introduzca un número entero, por ejemplo 1.240."),
    ],
)
def test_a_mistyped_count_gets_one_message_in_the_readers_language(app, language, message):
    with in_language(app, language):
        form = posted(people="1,2,3")
        assert form.people.errors == [message]  # neither WTForms' English nor the range's
        assert form.people._value() == "1,2,3"  # shown back as typed, to be corrected


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter a number, such as 2.5."),
        ("fr", "Saisissez un nombre, par exemple 2,5."),
        ("es", "Introduzca un número, por ejemplo 2,5."),
    ],
)
def test_mistyped_hours_get_one_message_in_the_readers_language(app, language, message):
    with in_language(app, language):
        assert posted(hours="deux").hours.errors == [message]


def test_the_range_still_applies_to_a_number_read(app):
    with in_language(app, "fr"):
        assert posted(people="1 240").people.errors == ["From 0 to 100."]
        assert posted(people="-1").people.errors == ["From 0 to 100."]
        assert posted(people="").people.errors == []


def test_a_saved_number_is_shown_in_the_readers_language_with_a_number_pad(app):
    with in_language(app, "fr"):
        form = Counts(data={"people": 1240, "hours": 1.5})
        assert form.people._value() == f"1{NNBSP}240" and form.hours._value() == "1,5"
        html = str(form.people())
        assert 'inputmode="numeric"' in html and 'type="text"' in html
        assert 'inputmode="decimal"' in str(form.hours())


def test_a_message_of_its_own_replaces_the_fields(app):
    class Fee(BaseSubForm):
        amount = LocaleIntegerField("Fee", message="Give the fee as a whole number.")

    with in_language(app, "fr"):
        form = Fee(MultiDict({"amount": "beaucoup"}))
        form.validate()
        assert form.amount.errors == ["Give the fee as a whole number."]
