"""application drafts: an application saved unfinished, to finish later

Revision ID: f3a8c6e2d9b1
Revises: b7e3d1a9c5f4
Create Date: 2026-12-07 01:30:00

One row per user (unique user_id) holding the apply form's values as JSON and when they were
saved; it goes with the user's account (ON DELETE CASCADE) and when the user applies. A new
table: no existing data to carry, and nothing is lost on downgrade but unfinished drafts.
"""
import sqlalchemy as sa
from alembic import op

import tracker.models_base

# revision identifiers, used by Alembic.
revision = 'f3a8c6e2d9b1'
down_revision = 'b7e3d1a9c5f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'application_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_application_drafts_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_drafts')),
        sa.UniqueConstraint('user_id', name=op.f('uq_application_drafts_user_id')),
    )


def downgrade():
    op.drop_table('application_drafts')
