"""What a company's names become for the public: a searchable form and a profile address.

`folded` is how names are compared everywhere the public searches or matches: lower case,
accents and other marks transliterated ("São" -> "sao", "Ærø" -> "aero"), punctuation dropped,
words separated by one space; every apostrophe alike ("O’Neill", "O'Neill" and "O´Neill" are
"o neill"). Names are stored folded (`Company.search_name`), so a query folded
the same way is a plain LIKE on either database.
"""

import re

from slugify import slugify
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

SLUG_LENGTH = 120  # words are cut at a boundary; a "-2" suffix still fits the column
BATCH = 20  # candidate slugs looked up at once
NUMBERED = re.compile(r"^(?P<base>.+?)-(?P<n>[0-9]+)$")


# Word processors and CLDR ("Côte d’Ivoire") write typographic apostrophes, keyboards the
# straight one; slugify drops the straight one between words but joins them at the others.
APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`", "'"))


def folded(text: str | None) -> str:
    return slugify((text or "").translate(APOSTROPHES), separator=" ")


def slug_base(display_name: str) -> str:
    return slugify(display_name, max_length=SLUG_LENGTH, word_boundary=True) or "company"


def name_company(session: Session, company) -> None:
    """Keep `company`'s search name and slug up to date with its names, in its flush. The
    public finds a member by its legal name only if the member lists it."""
    search_name = f"{folded(company.display_name)} | {folded(company.public_legal_name)}"
    if company.search_name != search_name:
        company.search_name = search_name
    base = slug_base(company.display_name)
    # Its slug is the base, or the base numbered ("lotus-tours-2"); a base that ends in a
    # number ("hotel-2" for "Hotel 2") is its own slug, not "hotel" numbered.
    if company.slug is not None and base in (company.slug, _base_of(company.slug)):
        return
    with session.no_autoflush:
        _give_slug(session, company, base)


def _base_of(slug: str) -> str:
    match = NUMBERED.match(slug)
    return match.group("base") if match else slug


def _give_slug(session: Session, company, base: str) -> None:
    """The first free one of base, base-2, base-3...; a listed member's old slug is kept to
    redirect."""
    from tracker.companies.models import Company, CompanySlug  # models import this module

    # Others named alike in this same flush have no row yet, but their slugs are as taken.
    pending = {
        other.slug
        for other in (*session.new, *session.dirty)
        if isinstance(other, Company) and other is not company and other.slug
    }
    start = 1
    while True:
        candidates = [base if n == 1 else f"{base}-{n}" for n in range(start, start + BATCH)]
        owners = dict(
            session.execute(
                select(Company.slug, Company.id).where(Company.slug.in_(candidates))
            ).all()
        )
        retired = dict(
            session.execute(
                select(CompanySlug.slug, CompanySlug.company_id).where(
                    CompanySlug.slug.in_(candidates)
                )
            ).all()
        )
        free = [
            slug
            for slug in candidates
            if slug not in pending
            and owners.get(slug, company.id) == company.id
            and retired.get(slug, company.id) == company.id
        ]
        if free:
            break
        start += BATCH
    chosen = free[0]
    # Only a listed member's old address redirects: an applicant's or a former member's names
    # were never public, and a redirect would show the new one (only listed names are public).
    if company.slug is not None and company.slug != chosen and company.is_listed_publicly:
        session.add(CompanySlug(slug=company.slug, company_id=company.id))
    if chosen in retired:  # renamed back: the old address was its own
        session.execute(delete(CompanySlug).where(CompanySlug.slug == chosen))
    company.slug = chosen
