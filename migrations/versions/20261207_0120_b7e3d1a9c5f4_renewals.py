"""renewals: a cancelled invoice makes way for a new one; renewal notices sent

Revision ID: b7e3d1a9c5f4
Revises: d2f8a6c4e1b9
Create Date: 2026-12-07 01:00:00

Invoices record who cancelled them, when and why. The unique (company, year, kind) of invoices becomes a partial unique index over invoices not
cancelled, so staff can issue a new joining invoice after cancelling one, and a cancelled
renewal can be issued again. renewal_notices remembers which owners were asked to confirm
their revenue band for a year. Downgrading refuses while a cancelled invoice shares its
company, year and kind with another (the old constraint could not hold them both).
"""
import sqlalchemy as sa
from alembic import op

from tracker.models_base import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b7e3d1a9c5f4'
down_revision = 'd2f8a6c4e1b9'
branch_labels = None
depends_on = None

LIVE = "state != 'cancelled'"


def upgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('cancelled_at', UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_invoices_cancelled_by_id_users'), 'users', ['cancelled_by_id'], ['id']
        )
        batch_op.drop_constraint('uq_invoices_company_year_kind', type_='unique')
        batch_op.create_index(
            'uq_invoices_company_year_kind_live', ['company_id', 'year', 'kind'], unique=True,
            sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE),
        )
    op.create_table(
        'renewal_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['company_id'], ['companies.id'], name=op.f('fk_renewal_notices_company_id_companies')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal_notices')),
        sa.UniqueConstraint('company_id', 'year', name='uq_renewal_notices_company_year'),
    )


def downgrade():
    duplicates = op.get_bind().execute(sa.text(
        "SELECT company_id, year, kind FROM invoices GROUP BY company_id, year, kind"
        " HAVING COUNT(*) > 1"
    )).first()
    if duplicates is not None:
        raise RuntimeError(
            f"Company {duplicates[0]} has more than one {duplicates[2]} invoice for "
            f"{duplicates[1]} (one of them cancelled): the old unique constraint cannot hold them."
        )
    op.drop_table('renewal_notices')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('uq_invoices_company_year_kind_live')
        batch_op.create_unique_constraint(
            'uq_invoices_company_year_kind', ['company_id', 'year', 'kind']
        )
        batch_op.drop_constraint(batch_op.f('fk_invoices_cancelled_by_id_users'), type_='foreignkey')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancel_reason')
