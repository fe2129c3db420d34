"""Two administrators deactivate each other at the same instant, through the served app."""

import re

import httpx
import pytest
from sqlalchemy import select

from tests.factories import staff
from tests.served.conftest import csrf_token
from tests.served.test_races import in_parallel, signed_in_client, statuses
from tracker.auth.models import Role, User
from tracker.extensions import db

DEACTIVATED = re.compile(r"is deactivated and signed out")


@pytest.fixture()
def served(served_app):
    served_app.restart_workers()  # fresh rate-limit counters
    return served_app


def active_admins() -> list[str]:
    db.session.expire_all()
    query = select(User.email).where(User.role == Role.ADMIN, User.deactivated_at.is_(None))
    return list(db.session.scalars(query))


@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_deactivating_each_other_leave_one_active(served, attempt):
    admins = [staff(Role.ADMIN, email=f"admin{i}@example.com") for i in range(2)]
    db.session.commit()
    # Read here: the threads below have no app context to load an expired row in.
    ids = [admin.id for admin in admins]
    clients = [signed_in_client(served.url, admin.email) for admin in admins]
    tokens = [csrf_token(client, "/review/staff") for client in clients]

    def deactivate_the_other(i: int) -> httpx.Response:
        other = ids[1 - i]
        return clients[i].post(f"/review/staff/{other}/deactivate", data={"csrf_token": tokens[i]})

    try:
        responses = in_parallel(2, deactivate_the_other)
        assert statuses(responses) == [302, 302], [r.text[:300] for r in responses]
        # Each flash is on the staff page the redirect leads to; a deactivated admin's own
        # session has ended, so read it while it still could (or see the sign-in page).
        pages = [client.get("/review/staff").text for client in clients]
    finally:
        for client in clients:
            client.close()
    assert len(active_admins()) == 1
    assert sum(bool(DEACTIVATED.search(page)) for page in pages) == 1
