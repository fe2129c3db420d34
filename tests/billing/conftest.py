"""Billing fixtures: fee rows are kept between tests (seeded by the migrations), so a test that
changes them puts them back."""

import pytest
from sqlalchemy import select

from tracker.billing.models import DEFAULT_CURRENCY, DEFAULT_FEES, FeeBand
from tracker.extensions import db


@pytest.fixture()
def restore_fees():
    yield
    db.session.rollback()
    for row in db.session.scalars(select(FeeBand)):
        row.amount, row.currency = DEFAULT_FEES[row.band], DEFAULT_CURRENCY
    db.session.commit()
