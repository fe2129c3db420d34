"""The pager: where one page of a list stands among all of them, for every paged list."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Page `page` of `total` items, `per_page` a page; the names are Flask-SQLAlchemy's
    (`Pagination`), so every pager template reads the same whatever built its page."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def past_the_last(self) -> bool:
        """Asked for a page beyond the last: a 404 that links to the last page."""
        return self.page > self.pages
