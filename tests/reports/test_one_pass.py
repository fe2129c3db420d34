"""The report form checks everything in one pass: a field's own mistakes, a training row's and
those comparing answers come back together, each in the summary and beside its field."""

import html
import re
from dataclasses import replace

import pytest

from tests.reports.helpers import complete_answers, training_groups
from tests.reports.test_views import form_fields, member_a, started  # noqa: F401 (fixture)
from tracker.extensions import db
from tracker.reports import inputs

URL = "/company/reports/2025"


def summary_of(page: str) -> list[str]:
    """The summary's entries as (link target, text)."""
    box = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert box, "no error summary"
    return [
        f"{href} {html.unescape(text)}"
        for href, text in re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', box.group(0))
    ]


def message_by(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    assert match, f"no message by {field_id}"
    return html.unescape(match.group(1))


def test_three_kinds_of_mistake_come_back_at_once(client, member_a):  # noqa: F811
    report = started(*member_a)
    data = form_fields(
        report,
        **{
            # A field's own mistake: not a number.
            "cases_reported": "several",
            # A training row's: more people trained (4 + 4) than employed.
            "training-1-groups-0-employees": "5",
            "training-1-groups-0-current": "8",
            # Answers compared: more contracts with the clause than contracts.
            "contracts_with_clause": "25",
            # And a box ticked without its reason.
            "stakeholders_na": "y",
        },
    )
    response = client.submit(URL, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = summary_of(page)
    assert (
        "#cases_reported Suspected cases reported to authorities or hotlines: "
        "Enter a whole number, such as 1,240."
    ) in summary
    assert (
        "#training-1-groups-0-employees Training row 2, Front-line staff, Employees at year end: "
        "Trained people cannot outnumber employees."
    ) in summary
    assert (
        "#contracts_with_clause Of these, contracts that include the Code clause: "
        "This cannot be more than the number of contracts."
    ) in summary
    assert (
        "#stakeholders_na_reason Why it does not apply: "
        "Say why this criterion does not apply to your company."
    ) in summary
    assert len(summary) == 5  # and the row's currently trained (8 of 5 employees)
    assert message_by(page, "cases_reported") == "Enter a whole number, such as 1,240."
    assert message_by(page, "training-1-groups-0-employees") == (
        "Trained people cannot outnumber employees."
    )
    assert message_by(page, "contracts_with_clause") == (
        "This cannot be more than the number of contracts."
    )
    assert 'value="several"' in page and 'value="25"' in page  # nothing typed is lost
    db.session.refresh(report)
    assert report.contracts_total is None and report.version == 1


def test_fixing_every_listed_mistake_saves_in_one_more_pass(client, member_a):  # noqa: F811
    report = started(*member_a)
    wrong = {"cases_reported": "several", "contracts_with_clause": "25", "policy_na": "y"}
    assert client.submit(URL, form_fields(report, **wrong)).status_code == 400
    fixed = {"cases_reported": "1", "contracts_with_clause": "5", "policy_na": ""}
    assert client.submit(URL, form_fields(report, **fixed)).status_code == 302
    db.session.refresh(report)
    assert (report.cases_reported, report.contracts_with_clause) == (1, 5)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # A refused count is not compared as if left blank: no second message beside it.
        ({"contracts_total": "lots", "contracts_with_clause": "5"}, "contracts_total"),
        ({"training-0-groups-0-employees": "x"}, "training-0-groups-0-employees"),
        # Out of range: the field's own message, not the service's again.
        ({"contracts_total": "20000000"}, "contracts_total"),
    ],
    ids=["contracts", "training group", "out of range"],
)
def test_a_refused_field_brings_one_message_only(client, member_a, changes, field):  # noqa: F811
    report = started(*member_a)
    page = client.submit(URL, form_fields(report, **changes)).get_data(as_text=True)
    assert len(summary_of(page)) == 1
    assert summary_of(page)[0].startswith(f"#{field} ")
    assert page.count('class="error"') == 1


def test_a_date_in_the_future_is_listed_with_the_fields_mistakes(client, member_a):  # noqa: F811
    report = started(*member_a)
    data = form_fields(report, policy_adopted_on="2099-01-01", contracts_total="lots")
    page = client.submit(URL, data).get_data(as_text=True)
    assert [entry.split(" ", 1)[0] for entry in summary_of(page)] == [
        "#policy_adopted_on",
        "#contracts_total",
    ]
    assert message_by(page, "policy_adopted_on") == "The date cannot be in the future."


def test_the_service_leaves_out_rules_over_fields_the_form_refused(member_a):  # noqa: F811
    report = started(*member_a)
    answers = replace(complete_answers(report), contracts_total=None, contracts_with_clause=5)
    message = "This cannot be more than the number of contracts."
    assert inputs.answer_errors(report, answers) == [("contracts_with_clause", message)]
    assert inputs.answer_errors(report, answers, frozenset({"contracts_total"})) == []
    row = replace(answers.training[0], groups=training_groups(employees=0, trained=4))
    answers = replace(answers, contracts_with_clause=None, training=(row, answers.training[1]))
    assert inputs.answer_errors(report, answers)  # 4 trained of no employees
    refused = frozenset({"training-0-groups-0-employees"})
    assert inputs.answer_errors(report, answers, refused) == []
