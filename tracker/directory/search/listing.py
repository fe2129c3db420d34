"""The public list of members: its filters, its order and its pages, for every page and format
that shows it (the directory, a country's page, the API, the CSV).

Only members in good standing with ECPAT are listed (`Company.is_listed_publicly`: suspended,
withdrawn and expelled companies are not). What the public sees of a member's reporting is one
of two words: in good standing, or report overdue (the staff's finer standings, due, extended
or under review, are all "good" to the public until a due date passes); a Top Member is in good
standing and named by ECPAT for the latest named year (reports.recognition.latest_title).

Pages are found by the ids alone first, over the index of the sort order, then only the page's
rows are loaded: a late page costs an index walk, not 100,000 rows loaded and thrown away.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, false, func, select
from sqlalchemy.orm import selectinload

from tracker.companies import naming
from tracker.companies.enums import CompanyType, Standing
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
from tracker.companies.publication import publishes_suspended, shows_overdue
from tracker.companies.queries import (
    listed_publicly,
    membership_listed,
    operating_in,
    public_operation,
)
from tracker.extensions import db
from tracker.models_base import LabelledEnum
from tracker.page_cache import public_cached_value
from tracker.paging import Page
from tracker.reports import recognition
from tracker.reports.standing_query import overdue

PAGE_SIZES = (20, 50, 100)
MAX_QUERY = 100  # characters of a name search
MAX_WORDS = 8  # each word must appear; more would only slow the query down


class PublicStanding(LabelledEnum):
    GOOD = "good_standing"
    OVERDUE = "report_overdue"
    TOP_MEMBER = "top_member"
    # Only under the publication rules that call for them (tracker/companies/publication.py):
    MEMBER = "member"  # overdue not published: a member, its reporting not said
    SUSPENDED = "suspended"  # suspended members published

    @property
    def label(self) -> str:
        return {
            "good_standing": _l("In good standing"),
            "report_overdue": _l("Report overdue"),
            "top_member": _l("Top Member"),
            "member": _l("Member"),
            "suspended": _l("Membership suspended"),
        }[self.value]

    @property
    def tone(self) -> str:
        return {
            "good_standing": "success",
            "report_overdue": "warning",
            "top_member": "success",
            "member": "neutral",
            "suspended": "danger",
        }[self.value]

    @classmethod
    def in_use(cls) -> list["PublicStanding"]:
        """The standings the public sees under the deployment's publication rules."""
        shown = [cls.GOOD, cls.OVERDUE] if shows_overdue() else [cls.MEMBER]
        return [*shown, cls.TOP_MEMBER, *([cls.SUSPENDED] if publishes_suspended() else [])]


class Sort(LabelledEnum):
    NAME = "name"
    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def label(self) -> str:
        return {
            "name": _l("Name"),
            "newest": _l("Newest members first"),
            "oldest": _l("Longest-standing members first"),
        }[self.value]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    country: str | None = None
    type: CompanyType | None = None
    standing: PublicStanding | None = None
    city: str | None = None  # with a country only
    sort: Sort = Sort.NAME
    page: int = 1
    per_page: int = PAGE_SIZES[0]

    @property
    def narrowed(self) -> bool:
        """Whether anything but the order and the page is asked for."""
        return any((self.q, self.country, self.type, self.standing, self.city))

    @property
    def words(self) -> list[str]:
        return naming.folded(self.q).split()[:MAX_WORDS]


@dataclass(frozen=True)
class Listed:
    """One member as the public lists it."""

    company: Company
    standing: PublicStanding
    operations: list[Operation] = field(default_factory=list)  # those in the country asked for
    top_member_year: int | None = None  # the latest named year, for a Top Member

    @property
    def standing_label(self) -> str:
        """ "Top Member 2026" for a Top Member, else the standing's label."""
        if self.standing is PublicStanding.TOP_MEMBER and self.top_member_year is not None:
            return recognition.title_label(self.top_member_year)
        return str(self.standing.label)

    @property
    def joined_at(self) -> datetime:
        return self.company.membership.joined_at


@dataclass(frozen=True)
class MembersPage(Page):
    """A page of members: the pager's numbers and the members on it."""

    items: list[Listed]


def standing_condition(standing: PublicStanding, on: date) -> ColumnElement[bool]:
    """The SQL twin of `standing_of`: members whose public standing is `standing`."""
    if standing not in PublicStanding.in_use():
        return false()
    active = Membership.standing == Standing.ACTIVE
    condition = {
        PublicStanding.SUSPENDED: Membership.standing == Standing.SUSPENDED,
        PublicStanding.OVERDUE: and_(active, overdue(on)),
        # An overdue report comes first (`standing_of`): the title shows once it is in.
        PublicStanding.TOP_MEMBER: and_(active, ~overdue(on), recognition.latest_title_holder()),
        # A Top Member is in good standing too; with overdue unpublished, all are members.
        PublicStanding.GOOD: and_(active, ~overdue(on)),
        PublicStanding.MEMBER: active,
    }[standing]
    return Company.id.in_(select(Membership.company_id).where(condition))


def matching(filters: Filters, on: date) -> Select:
    """The ids of the members `filters` ask for, unordered."""
    query = select(Company.id).where(listed_publicly())
    if filters.q.strip() and not filters.words:
        return query.where(false())  # only punctuation: no name has it
    for word in filters.words:  # folded words are letters and digits: no LIKE wildcards
        query = query.where(Company.search_name.like(f"%{word}%"))
    if filters.type is not None:
        query = query.where(Company.type == filters.type)
    if filters.country is not None:
        if filters.city:
            in_city = (
                select(Operation.company_id)
                .where(
                    Operation.country_code == filters.country,
                    Operation.city == filters.city,
                )
                .where(public_operation())
            )
            query = query.where(Company.id.in_(in_city))
        else:
            query = query.where(operating_in([filters.country]))
    if filters.standing is not None:
        query = query.where(standing_condition(filters.standing, on))
    return query


def ordered(query: Select, sort: Sort) -> Select:
    if sort is Sort.NAME:
        return query.order_by(Company.search_name, Company.id)
    # By joining date, walked along the memberships' index of members by date: a member's
    # membership is active exactly when the company is listed.
    query = query.join(Membership, Membership.company_id == Company.id).where(membership_listed())
    return query.order_by(*by_date(sort))


def by_date(sort: Sort) -> tuple:
    if sort is Sort.NEWEST:
        return Membership.joined_at.desc(), Membership.company_id.desc()
    return Membership.joined_at, Membership.company_id


def ids_in_order(filters: Filters, on: date) -> Select:
    """The ids of the members asked for, in the order asked for."""
    if filters.sort is not Sort.NAME and not filters.narrowed:
        # Every member by date: the memberships' index alone, not a company looked up per row.
        return (
            select(Membership.company_id)
            .where(membership_listed())
            .order_by(*by_date(filters.sort))
        )
    return ordered(matching(filters, on), filters.sort)


def page_of(filters: Filters, on: date) -> MembersPage:
    """One page of members: a count, the page's ids, then their rows and standings."""
    total = count(filters, on)
    offset = (filters.page - 1) * filters.per_page
    page = ids_in_order(filters, on).limit(filters.per_page).offset(offset)
    ids = list(db.session.scalars(page))
    items = listed(ids, on, filters.country)
    return MembersPage(filters.page, filters.per_page, total, items=items)


def count(filters: Filters, on: date) -> int:
    """How many members match, kept until the data changes: every page and order of a search
    shares it, and counting is most of what a page costs."""
    parts = (filters.q, filters.country, filters.type, filters.standing, filters.city, on)

    def counted() -> int:
        query = matching(filters, on)
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    return public_cached_value("directory_count", parts, counted)


def listed(ids: list[int], on: date, country: str | None = None) -> list[Listed]:
    """The members with `ids`, in that order, with their operations and public standing."""
    if not ids:
        return []
    companies = {
        company.id: company
        for company in db.session.scalars(
            select(Company).where(Company.id.in_(ids)).options(selectinload(Company.operations))
        )
    }
    # Each row carries the latest named year too: the title's year, in the same query.
    rows = db.session.execute(
        select(
            Membership.company_id,
            overdue(on),
            recognition.latest_title_holder(),
            Membership.standing,
            recognition.latest_named_year_query(),
        ).where(Membership.company_id.in_(ids))
    ).all()
    standings = {
        company_id: standing_of(bool(late), bool(top), standing is Standing.SUSPENDED)
        for company_id, late, top, standing, _year in rows
    }
    year = rows[0][4] if rows else None
    return [
        Listed(
            company=companies[company_id],
            standing=standings[company_id],
            top_member_year=year if standings[company_id] is PublicStanding.TOP_MEMBER else None,
            operations=[
                operation
                for operation in companies[company_id].operations
                if country is None or operation.country_code == country
            ],
        )
        for company_id in ids
        if company_id in companies
    ]


def standing_of(is_overdue: bool, is_top_member: bool, suspended: bool = False) -> PublicStanding:
    """What the public reads of a listed member's standing, under the publication rules."""
    if suspended:  # listed only when suspended members are published
        return PublicStanding.SUSPENDED
    if is_overdue:
        return PublicStanding.OVERDUE if shows_overdue() else PublicStanding.MEMBER
    # An overdue report comes first: a Top Member of last year that owes this year's report
    # is shown as overdue (its title is back once the report is in).
    if is_top_member:  # recognition.latest_title_holder: the rule staff see too
        return PublicStanding.TOP_MEMBER
    return PublicStanding.GOOD if shows_overdue() else PublicStanding.MEMBER


def cities_in(country: str) -> list[str]:
    """The cities of members' properties in `country`, for its page's city filter."""
    query = (
        select(Operation.city)
        .join(Company, Company.id == Operation.company_id)
        .where(
            Operation.country_code == country,
            Operation.city.is_not(None),
            public_operation(),  # unseen by staff, or the member lists no properties
            listed_publicly(),
        )
        .distinct()
        .order_by(Operation.city)
    )
    return list(db.session.scalars(query))
