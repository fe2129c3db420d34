"""The invoice's staff page: a refused form shows its summary at itself and keeps what was typed;
cancelling comes last, apart from the routine actions."""

import re

from tests.billing.test_views import unpaid_company
from tests.fixtures.staff_forms import block, only_summary, position, textarea


def test_a_refused_waiver_keeps_its_reason_and_leaves_the_cancel_form_empty(client, auth, reviewer):
    _company, invoice = unpaid_company()
    auth.login(reviewer.email)
    reason = "x" * 4001
    response = client.submit(
        f"/review/invoices/{invoice.id}/waive", {"reason": reason, "version": "1"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert "Field cannot be longer than 4000 characters." in summary
    assert summary in page[page.index('id="waive-heading"') : page.index('id="cancel"')]
    assert textarea(page, "reason") == reason
    # Both forms call their field "reason": the cancellation's stays as it was.
    assert textarea(page, "cancel-reason") == ""


def test_a_refused_cancellation_shows_its_summary_at_it(client, auth, reviewer):
    _company, invoice = unpaid_company()
    auth.login(reviewer.email)
    response = client.submit(f"/review/invoices/{invoice.id}/cancel", {"version": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    message = "Give the reason for cancelling the invoice."
    assert re.search(rf'<a href="#cancel-reason">[^<]*{message}</a>', summary)
    assert summary in block(page, "cancel")
    assert 'id="cancel-reason-error"' in block(page, "cancel")


def test_cancelling_comes_after_the_routine_actions(client, auth, reviewer):
    _company, invoice = unpaid_company()
    auth.login(reviewer.email)
    page = client.get(f"/review/invoices/{invoice.id}").get_data(as_text=True)
    base = f"/review/invoices/{invoice.id}"
    pay, waive, cancel = (position(page, f"{base}/{a}") for a in ("pay", "waive", "cancel"))
    assert pay < waive < page.index('class="panel danger-zone no-print"') < cancel
    assert 'class="button danger-outline">Cancel the invoice</button>' in page
