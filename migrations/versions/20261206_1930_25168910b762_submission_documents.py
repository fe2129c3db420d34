"""submission documents: each submitted version keeps the policy document it was submitted with

Revision ID: 25168910b762
Revises: b7e3f9a2c614
Create Date: 2026-12-06 19:30:00

Until now a version had only its document's file name (in its content) and the reviewer got the
draft's current file. Each version now refers to its own stored file. Existing versions get the
report's current file where it is the one they were submitted with as far as can be told (the
same file name in the version as on the report); the others get none rather than a file that
is not theirs. Both document columns are indexed, to find the files no row refers to.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '25168910b762'
down_revision = 'b7e3f9a2c614'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('report_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('policy_document', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_submissions_policy_document'), ['policy_document'], unique=False)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_policy_document'), ['policy_document'], unique=False)
    copy_references()


def copy_references():
    """The report's file onto each of its versions submitted under the same file name."""
    reports = sa.table(
        'reports',
        sa.column('id', sa.Integer),
        sa.column('policy_document', sa.String),
        sa.column('policy_document_name', sa.String),
    )
    submissions = sa.table(
        'report_submissions',
        sa.column('id', sa.Integer),
        sa.column('report_id', sa.Integer),
        sa.column('content', sa.JSON),
        sa.column('policy_document', sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(submissions.c.id, submissions.c.content, reports.c.policy_document, reports.c.policy_document_name)
        .join(reports, reports.c.id == submissions.c.report_id)
        .where(reports.c.policy_document.is_not(None))
    ).all()
    matching = [
        {'submission_id': row.id, 'document': row.policy_document}
        for row in rows
        if (row.content or {}).get('policy_document_name') == row.policy_document_name
    ]
    update = (
        submissions.update()
        .where(submissions.c.id == sa.bindparam('submission_id'))
        .values(policy_document=sa.bindparam('document'))
    )
    for start in range(0, len(matching), BATCH):
        connection.execute(update, matching[start : start + BATCH])


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_policy_document'))
    with op.batch_alter_table('report_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_submissions_policy_document'))
        batch_op.drop_column('policy_document')
