"""directory filter indexes: members by type in name order, and by joining date

Revision ID: a9c4e1f7d2b5
Revises: e5d2a7c41b93
Create Date: 2026-11-30 16:00:00

The public directory filtered by type walks (stage, type, search_name) in name order; "newest
members first" walks the memberships of active members by joining date, which replaces the
plain index on joined_at; the few Top Members are found by their date of recognition.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a9c4e1f7d2b5'
down_revision = 'e5d2a7c41b93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(
            'ix_companies_stage_type_search_name', ['stage', 'type', 'search_name', 'id'], unique=False
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_joined_at'))
        batch_op.create_index(
            'ix_memberships_standing_joined', ['standing', 'joined_at', 'company_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_memberships_top_member_since'), ['top_member_since'], unique=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_top_member_since'))
        batch_op.drop_index('ix_memberships_standing_joined')
        batch_op.create_index(batch_op.f('ix_memberships_joined_at'), ['joined_at'], unique=False)
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('ix_companies_stage_type_search_name')
