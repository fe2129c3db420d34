"""Demo members' publication choices: a few keep their properties or legal name off the public
list (companies/publication_choices.py), with the audit entries the settings page leaves."""

import random

from sqlalchemy import select

from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import User
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.extensions import db

PRIVATE_PROPERTIES = 0.05  # of the members, about one in twenty
PRIVATE_LEGAL_NAME = 0.03


def choose(rng: random.Random) -> None:
    """Make some members' choices private, as their owners would on the settings page."""
    members = db.session.execute(
        select(Company.id, User.id)
        .join(User, (User.company_id == Company.id) & User.is_owner.is_(True))
        .where(Company.stored_stage == Stage.ACTIVE)
        .order_by(Company.id)
    ).all()
    for name, share in (
        ("publish_properties", PRIVATE_PROPERTIES),
        ("publish_legal_name", PRIVATE_LEGAL_NAME),
    ):
        chosen = [(cid, uid) for cid, uid in members if rng.random() < share]
        if not chosen:
            continue
        ids = [cid for cid, _ in chosen]
        # Through the ORM: a keeper (tracker/derived.py) drops a private legal name from the
        # search name.
        for company in db.session.scalars(select(Company).where(Company.id.in_(ids))):
            setattr(company, name, False)
        db.session.add_all(
            AuditEntry(
                action=AuditAction.PUBLICATION_CHOICES_CHANGED.value,
                actor_id=uid,
                company_id=cid,
                details={"changes": {name: {"from": True, "to": False}}},
            )
            for cid, uid in chosen
        )
    db.session.flush()
