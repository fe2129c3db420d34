"""The six criteria of The Code, by version. A signature records the version it accepted.

A new wording is a new entry here (never an edit of a published one), so every past signature
keeps pointing at the exact text its signatory saw. Which version is in force is the deployment's
CRITERIA_VERSION setting: publishing a new version asks every member to sign it again.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str  # lazy: shown in the reader's language; the English text is the one signed
    text: str


# The titles as The Code words them; shared by every version (the signed text is `text`).
POLICY = _l("Policy and procedures")
TRAINING = _l("Training")
CONTRACTS = _l("Contracts")
TRAVELLERS = _l("Travellers")
STAKEHOLDERS = _l("Stakeholders")
REPORTING = _l("Reporting annually")

CRITERIA_VERSIONS: dict[str, tuple[Criterion, ...]] = {
    "1": (
        Criterion(
            1,
            POLICY,
            _l("Establish a policy and procedures against sexual exploitation of children."),
        ),
        Criterion(
            2,
            TRAINING,
            _l(
                "Train employees in children's rights, the prevention of sexual "
                "exploitation and how to report suspected cases."
            ),
        ),
        Criterion(
            3,
            CONTRACTS,
            _l(
                "Include a clause in contracts throughout the value chain "
                "stating a common repudiation and zero tolerance of sexual exploitation of "
                "children."
            ),
        ),
        Criterion(
            4,
            TRAVELLERS,
            _l(
                "Provide information to travellers on children's rights, the "
                "prevention of sexual exploitation of children and how to report suspected "
                "cases."
            ),
        ),
        Criterion(
            5,
            STAKEHOLDERS,
            _l(
                "Support, collaborate and engage stakeholders in the "
                "prevention of sexual exploitation of children."
            ),
        ),
        Criterion(6, REPORTING, _l("Report annually on the implementation of the six criteria.")),
    ),
}
# Version 2 words criterion 1 as The Code does now: procedures, and the regulation of
# voluntourism; the other five are those of version 1.
CRITERIA_VERSIONS["2"] = (
    Criterion(
        1,
        POLICY,
        _l(
            "Establish a policy and procedures against sexual exploitation of children, "
            "including the regulation of voluntourism."
        ),
    ),
    *CRITERIA_VERSIONS["1"][1:],
)
FIRST_VERSION = "1"

# What each criterion means for a traveller, in one plain line (public profiles). Not part of
# the signed text, so it is shared by every version and may be reworded freely.
EXPLANATIONS = {
    1: _l("The company has a written policy and knows what staff do if they suspect abuse."),
    2: _l("Staff are trained to recognise the signs of child exploitation and to report it."),
    3: _l("Contracts with suppliers say the company does not tolerate child exploitation."),
    4: _l("Travellers are told about children's rights and how to report what they see."),
    5: _l("The company works with local groups and authorities to protect children."),
    6: _l("Each year the company reports to ECPAT on what it did, and ECPAT reviews it."),
}


def explanation(number: int) -> str:
    """The plain-language line explaining criterion `number` to travellers."""
    return EXPLANATIONS[number]


def current_version() -> str:
    """The version members sign now: the CRITERIA_VERSION setting (config.py), version 1 unless a
    deployment published a later one."""
    version = current_app.config.get("CRITERIA_VERSION") or FIRST_VERSION
    return version if version in CRITERIA_VERSIONS else FIRST_VERSION


def criteria(version: str | None = None) -> tuple[Criterion, ...]:
    """The criteria of one version (by default the one in force).

    :raises KeyError: for an unknown version.
    """
    return CRITERIA_VERSIONS[version or current_version()]


def changes(since: str, version: str | None = None) -> list[Criterion]:
    """The criteria of `version` (by default the one in force) whose title or text differs
    from version `since`'s: what a member who signed `since` is asked to read again."""
    before = {criterion.number: criterion for criterion in criteria(since)}
    return [c for c in criteria(version) if before.get(c.number) != c]
