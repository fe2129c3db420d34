"""Public pages per country: the world map of members, and each country's members."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from tracker import charts
from tracker.countries import collation_key, country_name, is_country_code
from tracker.directory.countries import concern_contacts, figures, worldmap
from tracker.directory.countries.filters import CountryFilterForm
from tracker.directory.search import listing
from tracker.page_cache import public_cached_value, public_page
from tracker.reports import services
from tracker.reports.training import validity_years
from tracker.representatives.services import public_contacts

bp = Blueprint("countries", __name__)

PROPERTIES_SHOWN = 5  # per member on a country's page; the profile lists them all


@bp.get("/countries")
@public_page
def index():
    countries = figures.members_by_country()
    return render_template(
        "directory/countries.html",
        countries=sorted(countries, key=lambda country: collation_key(country_name(country.code))),
        types=figures.types_with_members(countries),
        world_map=world_map(countries),
        legend=legend(),
    )


@bp.get("/countries/<code>")
@public_page
def detail(code: str):
    canonical = code.upper()
    if canonical != code and code.isascii() and is_country_code(canonical):
        # One address per country, as links and search engines expect; the filters come along.
        return redirect(url_for(".detail", code=canonical, **kept_filters(request.args)), 301)
    if not is_country_code(code):
        abort(404)
    form = CountryFilterForm(request.args, cities=cities_in(code))
    if not form.validate():
        return render_country(code, form, page=None), 400
    page = listing.page_of(form.filters(code), services.today())
    # Past the last page: the page says so and links back, but it is no page of its own.
    return render_country(code, form, page), 404 if page.past_the_last else 200


def kept_filters(args) -> dict[str, list[str]]:
    """The query's filters a redirect keeps: the country form's own fields only, never other
    names, which url_for would read as its own options (`_external`, `_scheme`...)."""
    return {name: args.getlist(name) for name in CountryFilterForm.FIELDS if name in args}


def cities_in(code: str) -> list[str]:
    """The country's cities for the filter, kept until the data changes: every filter and page
    of a country asks for the same list, which costs a pass over its operations."""
    return public_cached_value("country_cities", (code,), lambda: listing.cities_in(code))


def render_country(code: str, form: CountryFilterForm, page: listing.MembersPage | None) -> str:
    coverage = figures.training_coverage(code, services.today())
    return render_template(
        "directory/countries_detail.html",
        code=code,
        name=country_name(code),
        form=form,
        page=page,
        properties_shown=PROPERTIES_SHOWN,
        coverage=coverage,
        coverage_chart=coverage_chart(code, coverage),
        validity_years=validity_years(),
        contacts=concern_contacts.contacts_by_kind(code),
        helpline_directory=concern_contacts.HELPLINE_DIRECTORY,
        online_reporting_directory=concern_contacts.ONLINE_REPORTING_DIRECTORY,
        # One small query, and the page itself is kept (public_page): no figure to keep apart.
        representatives=public_contacts(code),
    )


def members_label(code: str, count: int) -> str:
    """A country's name on the map, for sight and screen readers: "France: 12 members"."""
    return ngettext(
        "%(country)s: %(members)s member",
        "%(country)s: %(members)s members",
        count,
        country=country_name(code),
        members=format_decimal(count),
    )


def world_map(countries: list[figures.CountryCount]) -> Markup:
    marked = [
        worldmap.Marked(
            code=country.code,
            label=members_label(country.code, country.total),
            href=url_for(".detail", code=country.code),
            tier=worldmap.tier(country.total),
        )
        for country in countries
    ]
    return worldmap.render(marked, title=_("Map of the countries where members of The Code work"))


def legend() -> list[tuple[int, str]]:
    """(tier, what it means) for each shade of the map."""
    bounds = worldmap.TIERS
    return [
        (
            tier,
            _(
                "%(low)s to %(high)s members",
                low=format_decimal(low),
                high=format_decimal(bounds[tier] - 1),
            )
            if tier < len(bounds)
            else _("%(low)s members or more", low=format_decimal(low)),
        )
        for tier, low in enumerate(bounds, 1)
    ]


def coverage_chart(code: str, coverage: list[figures.YearCoverage]) -> Markup | None:
    if not coverage:
        return None
    return charts.column_chart(
        [(str(year.year), (year.coverage or 0) * 100) for year in coverage],
        title=_(
            "Staff currently trained in %(country)s per reporting year", country=country_name(code)
        ),
        description=_("Share of the members' employees in the country currently trained."),
        value_format=lambda value: f"{value:.0f}%",
        max_value=100,
        chart_id="coverage-chart",
    )
