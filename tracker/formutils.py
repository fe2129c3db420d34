"""Small helpers shared by the feature forms."""

from collections.abc import Iterable

from wtforms import SelectChoice


def select_choices(
    pairs: Iterable[tuple[str, str]], placeholder: str | None = None
) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, optionally led by an empty placeholder."""
    choices = [SelectChoice("", placeholder)] if placeholder else []
    return choices + [SelectChoice(value, label) for value, label in pairs]
