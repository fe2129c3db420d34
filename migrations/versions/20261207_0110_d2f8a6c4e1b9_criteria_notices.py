"""criteria notices: the e-mail asking a member to sign a new version of the criteria

Revision ID: d2f8a6c4e1b9
Revises: b7e2d4c9a0f6
Create Date: 2026-12-07 01:00:00

One row per member and criteria version once `flask criteria notify` has e-mailed it, with when
its one reminder went. A new table: no existing data to carry (members asked to sign again
today are e-mailed by the command's first run).
"""
import sqlalchemy as sa
from alembic import op

import tracker.models_base

# revision identifiers, used by Alembic.
revision = 'd2f8a6c4e1b9'
down_revision = 'b7e2d4c9a0f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('criteria_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('criteria_version', sa.String(length=16), nullable=False),
    sa.Column('sent_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_criteria_notices_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_notices')),
    sa.UniqueConstraint('company_id', 'criteria_version', name='uq_criteria_notices_version')
    )


def downgrade():
    op.drop_table('criteria_notices')
