"""Derived columns and counters: each declared once, kept in every flush by one pair of listeners.

A feature declares a `Keeper` for each value it keeps (a stored copy, a cached year, a data
version): the models and fields it watches, whether it runs before or after the flush, and the
function that keeps it. The factory hands them to `init_app` in the order they must run (see
`register_derived` in tracker/__init__.py); nothing registers a listener by being imported.

Before the flush is for keepers that change objects the flush is about to write; after it for
keepers that write through the connection (the rows are in; `new`, `dirty`, `deleted` and the
attributes' history still tell what changed). A keeper runs when a flushed object could concern
it: a row of a watched model added or removed, or one of its watched fields changed; the keeper
then decides exactly, as before. This module is shared: it names models by class name and
imports no feature.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import PASSIVE_NO_INITIALIZE as NO_LOADS

BEFORE_FLUSH = "before_flush"
AFTER_FLUSH = "after_flush"
# Watching every field: any change of the row (even one setting a value it already had).
ANY_FIELD = None


@dataclass(frozen=True)
class Keeper:
    """One derived value: what it is, what it watches, when and by what it is kept."""

    name: str
    when: str  # BEFORE_FLUSH or AFTER_FLUSH
    # Model class name -> the fields whose change concerns the keeper (ANY_FIELD: every one).
    watches: Mapping[str, frozenset[str] | None]
    keep: Callable[[Session], None]

    def concerns(self, obj, whole: bool) -> bool:
        """Whether flushing `obj` (added or removed `whole`, else changed) concerns it."""
        model = type(obj).__name__
        if model not in self.watches:
            return False
        fields = self.watches[model]
        return fields is ANY_FIELD or whole or has_changed(obj, fields)


def flushed(session: Session) -> Iterator[tuple[object, bool]]:
    """Each row of the flush, and whether it is added or removed whole (else changed).

    Asking `obj in session.new` builds the whole set again at each question: in a flush of
    2,000 new rows that was 2,000 sets of 2,000 (0.14 s)."""
    for obj in (*session.new, *session.deleted):
        yield obj, True
    for obj in session.dirty:  # persistent rows only: never in `new` or `deleted`
        yield obj, False


def has_changed(obj, fields: frozenset[str]) -> bool:
    """Whether one of `fields` of a loaded row changed in this flush, loading nothing.

    Only the attributes set since the last flush keep their committed value, so only those are
    asked for their history (a flush of 2,000 rows' phone numbers would otherwise ask each row
    for every watched field: nearly a fifth of the flush)."""
    state = inspect(obj)
    touched = fields.intersection(state.committed_state)
    return any(state.get_history(name, NO_LOADS).has_changes() for name in touched)


def watching(**models: str | None) -> dict[str, frozenset[str] | None]:
    """`watching(Company=None, Report="state")`: models by name, their fields space-separated
    (None: every field)."""
    return {
        model: ANY_FIELD if names is None else frozenset(names.split())
        for model, names in models.items()
    }


# The keepers in the order they run, set by init_app: the Session listeners are the process's,
# not an app's, and every app the factory builds declares the same ones.
_keepers: tuple[Keeper, ...] = ()


def keepers() -> tuple[Keeper, ...]:
    return _keepers


def init_app(app: Flask, declared: Iterable[Keeper]) -> None:
    """Keep `declared`, in that order within each phase; attach the two listeners once (tests
    build many apps)."""
    global _keepers
    _keepers = tuple(declared)
    app.extensions["derived"] = _keepers
    for name, listener in ((BEFORE_FLUSH, _before_flush), (AFTER_FLUSH, _after_flush)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def run(session: Session, when: str) -> None:
    """Call the keepers of one phase that the flush concerns, one after the other: each sees
    what the ones before it changed."""
    for keeper in _keepers:
        if keeper.when != when:
            continue
        if any(keeper.concerns(obj, whole) for obj, whole in flushed(session)):
            keeper.keep(session)


def _before_flush(session: Session, flush_context, instances) -> None:
    run(session, BEFORE_FLUSH)


def _after_flush(session: Session, flush_context) -> None:
    run(session, AFTER_FLUSH)
