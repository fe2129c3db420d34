"""The outbox: e-mail saved with the change it reports, sent after the response, retried."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import free_port
from tests.factories import CompanyFactory, UserFactory, owner_of, staff
from tracker.auth.models import Role, User
from tracker.companies.enums import ApplicationStatus
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.outbox import (
    OutboxMessage,
    OutboxStatus,
    deliver_one,
    queue_deferred,
    queue_email,
)

REGISTRATION = {
    "name": "Ana Lee",
    "email": "ana@sunrise.example",
    "password": "long enough pw",
    "confirm": "long enough pw",
}


def stop_smtp(app, monkeypatch) -> None:
    """Point the app's mailer (Flask-Mailman reads its settings once) at a closed port."""
    monkeypatch.setattr(app.extensions["mailman"], "port", free_port())


@pytest.fixture()
def smtp_down(app, monkeypatch):
    stop_smtp(app, monkeypatch)


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queued_mail_is_sent_once_the_change_commits(smtp):
    queue_email("ana@example.com", "Hello", "confirm_email", link="https://tracker.test/x")
    db.session.commit()
    [message] = messages()
    assert message.status is OutboxStatus.PENDING and smtp.messages == []

    assert deliver_one(message.id) is OutboxStatus.SENT
    [received] = smtp.to("ana@example.com")
    assert received["Subject"] == "[The Code] Hello"
    assert "https://tracker.test/x" in received.get_payload()
    assert deliver_one(message.id) is None, "a sent message is never sent again"
    assert len(smtp.messages) == 1


def test_mail_of_a_rolled_back_change_is_never_sent(client, smtp):
    queue_email("ana@example.com", "Hello", "confirm_email", link="https://tracker.test/x")
    db.session.rollback()
    assert messages() == []
    assert smtp.messages == []


def test_failed_delivery_stays_queued_with_a_backoff(smtp_down):
    message = queue_email("ana@example.com", "Hello", "confirm_email", link="x")
    db.session.commit()
    assert deliver_one(message.id) is OutboxStatus.PENDING
    [message] = messages()
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert message.claimed_until is None
    assert deliver_one(message.id) is None, "not due again before its backoff"


def test_a_claimed_message_is_left_to_its_sender(smtp):
    message = queue_email("ana@example.com", "Hello", "confirm_email", link="x")
    message.claimed_until = utcnow() + timedelta(minutes=1)
    db.session.commit()
    assert deliver_one(message.id) is None
    assert smtp.messages == []


def test_deferred_reset_for_an_unknown_address_is_skipped(smtp):
    message = queue_deferred("password_reset", "nobody@example.com")
    db.session.commit()
    assert deliver_one(message.id) is OutboxStatus.SKIPPED
    assert smtp.messages == []


def test_deferred_kind_must_have_a_renderer():
    with pytest.raises(ValueError, match="no renderer"):
        queue_deferred("nonsense", "ana@example.com")


def test_decision_with_smtp_down_is_saved_says_so_and_mails_later(
    app, client, auth, smtp, monkeypatch, runner
):
    company = CompanyFactory(display_name="Alpha Tours")
    owner = owner_of(company, email="owner@example.com")
    reviewer = staff(Role.REVIEWER, email="reviewer@example.com")
    auth.login(reviewer.email)
    stop_smtp(app, monkeypatch)

    response = client.submit(
        f"/review/companies/{company.id}/approve",
        {"version": str(company.version), "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert response.location == "/review/"
    assert db.session.get(Company, company.id).status is ApplicationStatus.APPROVED
    [message] = messages()
    assert (message.status, message.recipient) == (OutboxStatus.PENDING, owner.email)
    assert smtp.messages == []

    monkeypatch.undo()  # the mail server is back
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, failed 0 (to retry), skipped 0; 0 waiting." in result.output
    [received] = smtp.to(owner.email)
    assert "Alpha Tours" in received.get_payload()
    assert (
        runner.invoke(args=["send-mail"])
        .output.strip()
        .endswith("Sent 0, failed 0 (to retry), skipped 0; 0 waiting.")
    )
    assert len(smtp.messages) == 1


def test_registration_with_smtp_down_answers_normally_twice(client, smtp_down):
    first = client.submit("/account/register", REGISTRATION)
    again = client.submit("/account/register", REGISTRATION)
    assert (first.status_code, first.location) == (302, "/account/login")
    assert (again.status_code, again.location) == (302, "/account/login")
    assert db.session.scalar(select(db.func.count(User.id))) == 1
    kinds = [message.kind for message in messages()]
    assert kinds == ["confirm_email", "registration_attempt"]
    assert all(message.status is OutboxStatus.PENDING for message in messages())


def test_send_mail_reports_failures_and_exits_non_zero(runner, smtp_down):
    queue_email("ana@example.com", "Hello", "confirm_email", link="x")
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "Sent 0, failed 1 (to retry), skipped 0; 1 waiting." in result.output


def test_development_delivers_right_after_the_response(client, smtp):
    UserFactory(email="ana@example.com")
    client.submit("/account/reset", {"email": "ana@example.com"})
    [message] = messages()
    assert message.status is OutboxStatus.SENT
    assert len(smtp.to("ana@example.com")) == 1


def test_without_after_response_delivery_mail_waits_for_send_mail(app, client, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DELIVER_AFTER_RESPONSE", False)
    UserFactory(email="ana@example.com")
    client.submit("/account/reset", {"email": "ana@example.com"})
    assert smtp.messages == []
    assert [message.status for message in messages()] == [OutboxStatus.PENDING]
