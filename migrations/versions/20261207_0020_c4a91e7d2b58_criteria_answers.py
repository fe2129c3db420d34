"""reports: policy procedures, "not applicable, because ..." per criterion 1-5, evidence files

Revision ID: c4a91e7d2b58
Revises: e4a1c9b7d3f2
Create Date: 2026-12-07 00:00:00

Only new, nullable columns: every existing report and submitted version keeps its answers as
they are (no procedures given yet, every criterion applicable). Submitted versions keep their
JSON content unchanged; readers treat a missing answer as not given.
"""
import sqlalchemy as sa
from alembic import op

from tracker.models_base import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'c4a91e7d2b58'
down_revision = 'e4a1c9b7d3f2'
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
    op.create_table(
        'report_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column(
            'section',
            sa.Enum(
                'policy', 'training', 'contracts', 'travellers', 'stakeholders', 'cases',
                name='report_section', native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),
        sa.Column('stored', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('uploaded_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['report_id'], ['reports.id'], name=op.f('fk_report_evidence_report_id_reports'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['users.id'], name=op.f('fk_report_evidence_uploaded_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_evidence')),
    )
    with op.batch_alter_table('report_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_evidence_report_id'), ['report_id'])
        batch_op.create_index(batch_op.f('ix_report_evidence_stored'), ['stored'])


def downgrade():
    op.drop_table('report_evidence')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        for section in reversed(NOT_APPLICABLE):
            batch_op.drop_column(f'{section}_na_reason')
        batch_op.drop_column('policy_board_approved_on')
        batch_op.drop_column('policy_reporting_procedure')
        batch_op.drop_column('policy_focal_person_role')
        batch_op.drop_column('policy_focal_person')
