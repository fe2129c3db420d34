"""The labelled enums a company is described by: its type and revenue band, its application's
status, its membership's standing, and the stage the two make together."""

from flask_babel import lazy_gettext as _l

from tracker.companies.publication import publishes_suspended
from tracker.models_base import LabelledEnum


class CompanyType(LabelledEnum):
    HOTEL = "hotel"
    HOTEL_CHAIN = "hotel_chain"
    TOUR_OPERATOR = "tour_operator"
    AIRLINE = "airline"
    TRAVEL_AGENCY = "travel_agency"
    TRANSPORT = "transport"
    TOURISM_ASSOCIATION = "tourism_association"
    AIRPORT = "airport"
    CRUISE_LINE = "cruise_line"
    ONLINE_PLATFORM = "online_platform"
    VOLUNTEERING_ORGANISATION = "volunteering_organisation"
    CORPORATE_TRAVEL_BUYER = "corporate_travel_buyer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "hotel": _l("Hotel"),
            "hotel_chain": _l("Hotel chain"),
            "tour_operator": _l("Tour operator"),
            "airline": _l("Airline"),
            "travel_agency": _l("Travel agency"),
            "transport": _l("Transport"),
            "tourism_association": _l("Tourism association"),
            "airport": _l("Airport"),
            "cruise_line": _l("Cruise line"),
            "online_platform": _l("Online travel or ICT platform"),
            "volunteering_organisation": _l("Volunteering organisation"),
            "corporate_travel_buyer": _l("Corporate travel buyer"),
            "other": _l("Other"),
        }[self.value]

    @property
    def has_properties(self) -> bool:
        """Hotels list each property (name and city) as an operation."""
        return self in (CompanyType.HOTEL, CompanyType.HOTEL_CHAIN)


class RevenueBand(LabelledEnum):
    """Annual revenue bands in euros; each has its annual fee in the fee table (billing)."""

    UP_TO_500K = "up_to_500k"
    UP_TO_2_5M = "500k_to_2_5m"
    UP_TO_50M = "2_5m_to_50m"
    ABOVE_50M = "above_50m"

    @property
    def label(self) -> str:
        return {
            "up_to_500k": _l("Up to €500,000"),
            "500k_to_2_5m": _l("€500,000 to €2.5 million"),
            "2_5m_to_50m": _l("€2.5 million to €50 million"),
            "above_50m": _l("Above €50 million"),
        }[self.value]


class ApplicationStatus(LabelledEnum):
    """The application's review workflow; what follows approval is the membership's standing."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"


class Standing(LabelledEnum):
    """A membership's standing. Reports add due and overdue later, derived, never stored."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"


class Stage(LabelledEnum):
    """Where a company stands, application and membership together: what badges show."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"

    @property
    def label(self) -> str:
        return {
            "submitted": _l("Application under review"),
            "returned": _l("Changes requested"),
            "rejected": _l("Application rejected"),
            "approved": _l("Approved, awaiting signature"),
            "active": _l("Member"),
            "suspended": _l("Membership suspended"),
            "withdrawn": _l("Withdrawn"),
            "expelled": _l("Expelled"),
        }[self.value]

    @property
    def tone(self) -> str:
        """The badge colour family: info, warning, danger, success or neutral."""
        return {
            "submitted": "info",
            "returned": "warning",
            "rejected": "danger",
            "approved": "info",
            "active": "success",
            "suspended": "danger",
            "withdrawn": "neutral",
            "expelled": "danger",
        }[self.value]


# Members and suspended members: they report every year (reporting is how a suspended member
# gets reinstated), pay the annual fee, are asked to sign new criteria and may withdraw.
REPORTING_STAGES = (Stage.ACTIVE, Stage.SUSPENDED)
# Every stage of a signed membership, current or former: the public record names them.
ON_RECORD_STAGES = tuple(Stage(standing.value) for standing in Standing)


def listed_stages() -> tuple[Stage, ...]:
    """The stages the public list shows (tracker/companies/publication.py sets the rule)."""
    return (Stage.ACTIVE, Stage.SUSPENDED) if publishes_suspended() else (Stage.ACTIVE,)
