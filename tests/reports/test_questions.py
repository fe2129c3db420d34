"""The report's questions page: every question of the form, in its order, read-only."""

import html
import re

import pytest
from wtforms import FieldList, HiddenField

from tests.factories import CompanyFactory, owner_of
from tracker.companies.enums import Stage
from tracker.reports import questions
from tracker.reports.forms import ReportForm, TrainingGroupForm, TrainingRowForm
from tracker.reports.models import Section
from tracker.reports.training import StaffGroup

URL = "/company/reports/questions"


def asked(form) -> list:
    """The fields a person fills in, in the form's order (no version, row ids or token, nor
    the box that drops a kept file, which the page declares it leaves out)."""
    return [
        field
        for field in form
        if not isinstance(field, HiddenField | FieldList)
        and field.name not in questions.KEPT_FILE_CHOICES
    ]


def form_texts(app) -> list[str]:
    """Every label and hint the report form shows, its training rows' included, read from
    the form classes themselves (so a new question fails this test until the page has it)."""
    with app.test_request_context():
        report = ReportForm(formdata=None, meta={"csrf": False})
        group = TrainingGroupForm(formdata=None)
        row = TrainingRowForm(formdata=None)
        fields = asked(report) + asked(group) + asked(row)
        texts = []
        for field in fields:
            texts.append(str(field.label.text))
            if field.description:
                texts.append(str(field.description))
            texts += (
                [str(choice.label.text) for choice in field] if hasattr(field, "choices") else []
            )
        return texts


@pytest.fixture()
def page(client, auth):
    company = CompanyFactory(stage=Stage.APPROVED)
    auth.login(owner_of(company).email)
    response = client.get(URL)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_page_asks_every_question_of_the_form(app, page):
    texts = form_texts(app)
    assert len(texts) > 30  # the guard: the form's questions were found
    missing = [text for text in texts if text not in page]
    assert missing == []


def test_the_questions_come_in_the_forms_order(page):
    # The sections in order, and inside policy the questions as the form asks them.
    positions = [page.index(f'id="section-{section.value}-heading"') for section in Section]
    assert positions == sorted(positions)
    policy = [
        "Has your company adopted a policy",
        "Date adopted",
        "Focal person for child protection (name)",
        "Policy document (PDF)",
    ]
    assert [page.index(text) for text in policy] == sorted(page.index(text) for text in policy)


def test_training_is_asked_per_staff_group_with_the_group_hints(page):
    for staff_group in StaffGroup:
        assert f"{staff_group.label} ({staff_group.hint})" in re.sub(r"<[^>]+>", "", page)


def test_the_page_is_read_only_and_printable(page):
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<input" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert '<article class="printable">' in page
    assert "data-print" in page


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        (Stage.SUBMITTED, 403),
        (Stage.RETURNED, 403),
        (Stage.APPROVED, 200),
        (Stage.ACTIVE, 200),
        (Stage.SUSPENDED, 200),
    ],
)
def test_readable_once_the_application_is_approved(client, auth, stage, status):
    company = CompanyFactory(stage=stage)
    auth.login(owner_of(company).email)
    assert client.get(URL).status_code == status
