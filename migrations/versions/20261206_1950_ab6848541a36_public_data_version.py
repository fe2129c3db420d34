"""public data version: a second counter, moved only by changes the public sees

Revision ID: ab6848541a36
Revises: b3e8d61f4a27
Create Date: 2026-12-06 19:30:00

Public pages, their figures, the open-data files and the supplier check's index were keyed on
the companies' version, which any applicant moves by saving its contact details. They now key on
`public` (tracker/data_versions.py); it starts at the companies' value, so nothing kept before
the upgrade is mistaken for newer data.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'ab6848541a36'
down_revision = 'b3e8d61f4a27'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "INSERT INTO data_versions (name, value) "
        "SELECT 'public', value FROM data_versions WHERE name = 'companies'"
    )


def downgrade():
    op.execute("DELETE FROM data_versions WHERE name = 'public'")
