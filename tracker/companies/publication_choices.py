"""A member's publication choices: whether the public sees its properties and its legal name."""

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db


@dataclass(frozen=True)
class PublicationChoices:
    publish_properties: bool
    publish_legal_name: bool


CHOICES = ("publish_properties", "publish_legal_name")


def choices_of(company: Company) -> PublicationChoices:
    return PublicationChoices(**{name: getattr(company, name) for name in CHOICES})


def choose_publication(company: Company, owner: User, choices: PublicationChoices) -> bool:
    """Save the owner's choices, audited with what changed; False when nothing did.

    :raises DomainError: if `owner` is not the company's owner, or the company left The Code
        (its record stays as it was).
    """
    if owner.company_id != company.id or not owner.is_owner:
        raise DomainError.on(None, _("Only the company's owner can change what is published."))
    if not company.may_edit:
        raise DomainError.on(None, _("A company that left The Code keeps its record as it was."))
    changed = {
        name: {"from": getattr(company, name), "to": getattr(choices, name)}
        for name in CHOICES
        if getattr(company, name) != getattr(choices, name)
    }
    if not changed:
        return False
    for name, change in changed.items():
        setattr(company, name, change["to"])
    db.session.flush()
    audit.record(
        AuditAction.PUBLICATION_CHOICES_CHANGED, actor=owner, company=company, changes=changed
    )
    return True
