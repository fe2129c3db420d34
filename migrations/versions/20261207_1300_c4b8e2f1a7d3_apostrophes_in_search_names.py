"""apostrophes in search names: "O’Neill" is folded like "O'Neill"

Revision ID: c4b8e2f1a7d3
Revises: f3a8c6e2d9b1
Create Date: 2026-12-07 13:00:00

`companies.search_name` holds the names folded for the public search
(tracker/companies/naming.py). The folding joined the words at a typographic apostrophe
("O’Neill" -> "oneill") but split them at a straight one ("O'Neill" -> "o neill"), so a search
typed on a keyboard missed a name written in a word processor. The folding now reads every
apostrophe as the straight one; this recomputes the stored search names that hold one (the
others are unchanged). Downgrade folds them back the old way. Data only: no schema change.
"""
import sqlalchemy as sa
from alembic import op
from slugify import slugify

# revision identifiers, used by Alembic.
revision = 'c4b8e2f1a7d3'
down_revision = 'f3a8c6e2d9b1'
branch_labels = None
depends_on = None

APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"
STRAIGHT = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
BATCH = 2000


def upgrade():
    refold(lambda text: slugify((text or '').translate(STRAIGHT), separator=' '))


def downgrade():
    refold(lambda text: slugify(text or '', separator=' '))


def refold(fold):
    """Recompute the search name of every company whose names hold a typographic apostrophe.
    The legal name counts only where the member lists it (`Company.public_legal_name`; the
    column is never null)."""
    companies = sa.table(
        'companies', sa.column('id'), sa.column('display_name'), sa.column('legal_name'),
        sa.column('publish_legal_name', sa.Boolean), sa.column('search_name'),
    )
    holds = sa.or_(*(
        column.contains(mark, autoescape=True)
        for mark in APOSTROPHES
        for column in (companies.c.display_name, companies.c.legal_name)
    ))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                companies.c.id, companies.c.display_name, companies.c.legal_name,
                companies.c.publish_legal_name,
            ).where(holds, companies.c.id > last).order_by(companies.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        updates = [
            {
                'key': company_id,
                'search_name': f"{fold(display)} | {fold(legal if listed else None)}",
            }
            for company_id, display, legal, listed in rows
        ]
        connection.execute(
            companies.update().where(companies.c.id == sa.bindparam('key')).values(
                search_name=sa.bindparam('search_name')
            ),
            updates,
        )
        last = rows[-1][0]
