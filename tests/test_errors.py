"""The error handler: conflicts from concurrent changes, and an unreachable database."""

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from tracker.audit import AuditEntry
from tracker.companies.enums import ApplicationStatus
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.review import services as review_services


def test_concurrent_decision_gives_409_and_saves_nothing(
    app, client, auth, reviewer, company_a, owner_a, monkeypatch, smtp
):
    real_approve = review_services.approve_application

    def approve_after_someone_else(company, actor):
        # Another reviewer returns the application between our read and our write.
        with app.app_context():
            db.session.execute(
                update(Company)
                .where(Company.id == company.id)
                .values(status=ApplicationStatus.RETURNED, version=Company.version + 1)
            )
            db.session.commit()
        real_approve(company, actor)

    monkeypatch.setattr(review_services, "approve_application", approve_after_someone_else)
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/companies/{company_a.id}/approve",
        {"version": str(company_a.version), "confirmed": "yes"},
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert db.session.get(Company, company_a.id).status is ApplicationStatus.RETURNED
    assert db.session.scalars(select(AuditEntry.action)).all() == []
    assert smtp.to(owner_a.email) == []


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
