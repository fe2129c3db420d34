"""The API's answers around the open data's shapes: a page of members, a profile, the countries."""

from pydantic import Field

from tracker.directory.open_data.schemas import CountryFigures, Signatory, SignatoryDetail, Url
from tracker.json_schemas import Schema


class PageMeta(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int
    pages: int = Field(ge=1)


class PageLinks(Schema):
    self: Url
    first: Url
    last: Url
    next: Url | None
    previous: Url | None


class SignatoryPage(Schema):
    data: list[Signatory]
    meta: PageMeta
    links: PageLinks


class SignatoryAnswer(Schema):
    data: SignatoryDetail


class Moved(Schema):
    moved_to: Url


class CountriesAnswer(Schema):
    data: list[CountryFigures]
