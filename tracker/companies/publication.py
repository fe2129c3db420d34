"""ECPAT's publication rules, as the deployment sets them (config.py): whether the public list
keeps suspended members, and whether it says that a member's annual report is overdue.

Each member's own choices (its properties, its legal name) are columns of `Company`; the stages
listed follow from these rules in `tracker.companies.enums.listed_stages`.
"""

from flask import current_app


def publishes_suspended() -> bool:
    """PUBLISH_SUSPENDED, default false: suspended members leave the list, as withdrawn and
    expelled companies always do."""
    return bool(current_app.config.get("PUBLISH_SUSPENDED", False))


def shows_overdue() -> bool:
    """PUBLISH_OVERDUE, default true: the public sees that a member's report is overdue;
    otherwise it sees members and Top Members, not reporting standings."""
    return bool(current_app.config.get("PUBLISH_OVERDUE", True))
