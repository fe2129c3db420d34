"""reports: policy procedures and "not applicable, because ..." per criterion 1-5

Revision ID: c4a91e7d2b58
Revises: d7b3f2a8c6e1
Create Date: 2026-12-07 00:00:00

Only new, nullable columns: every existing report and submitted version keeps its answers as
they are (no procedures given yet, every criterion applicable). Submitted versions keep their
JSON content unchanged; readers treat a missing answer as not given.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a91e7d2b58'
down_revision = 'd7b3f2a8c6e1'
branch_labels = None
depends_on = None

NOT_APPLICABLE = ('policy', 'training', 'contracts', 'travellers', 'stakeholders')


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('policy_focal_person', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('policy_focal_person_role', sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column('policy_reporting_procedure', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('policy_board_approved_on', sa.Date(), nullable=True))
        for section in NOT_APPLICABLE:
            batch_op.add_column(sa.Column(f'{section}_na_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        for section in reversed(NOT_APPLICABLE):
            batch_op.drop_column(f'{section}_na_reason')
        batch_op.drop_column('policy_board_approved_on')
        batch_op.drop_column('policy_reporting_procedure')
        batch_op.drop_column('policy_focal_person_role')
        batch_op.drop_column('policy_focal_person')
