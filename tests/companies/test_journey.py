"""The dashboard's "Where you are" card: which next step each company is shown."""

from types import SimpleNamespace

import pytest

from tracker.companies.journey import where_you_are

NOTHING = dict.fromkeys(
    ("awaits_review", "is_sent_back", "may_sign", "is_member", "is_suspended"), False
)


def company(**flags):
    return SimpleNamespace(**{**NOTHING, **flags})


@pytest.mark.parametrize(
    ("flags", "approved_plan", "invoices_open", "is_owner", "expected"),
    [
        ({"awaits_review": True}, False, False, True, "review"),
        ({"is_sent_back": True}, False, False, True, "sent_back"),
        ({"may_sign": True}, False, True, True, "plan"),
        ({"may_sign": True}, True, True, True, "pay"),
        ({"may_sign": True}, True, False, True, "sign"),
        ({"may_sign": True}, True, False, False, "owner_signs"),
        ({"is_member": True}, True, False, True, "member"),
        ({"is_suspended": True}, True, False, True, "suspended"),
        ({}, True, False, True, "left"),
    ],
)
def test_each_company_is_shown_its_next_step(
    flags, approved_plan, invoices_open, is_owner, expected
):
    user = SimpleNamespace(is_owner=is_owner)
    assert where_you_are(company(**flags), user, approved_plan, invoices_open) == expected
