"""stored stage and queue indexes: the staff queue filters, counts and sorts at 100,000 companies

Revision ID: 7f44756d31a4
Revises: d5a1e0c7b2f4
Create Date: 2026-11-30 09:16:00

Each company's stage (its membership's standing once signed, before that its application's
state) is stored beside it, filled here from the two, so that the queue can count and filter by
it with an index; indexes for the queue's order (submission time); on PostgreSQL, trigram
indexes for the name search. `data_versions` counts the transactions that change companies, for
the cache of rendered staff pages.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f44756d31a4'
down_revision = 'd5a1e0c7b2f4'
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ('display_name', 'legal_name')
STAGES = (
    'submitted', 'returned', 'rejected', 'approved', 'active', 'suspended', 'withdrawn', 'expelled'
)


def upgrade():
    data_versions = op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )
    op.bulk_insert(data_versions, [{'name': 'companies', 'value': 0}])
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE companies SET stage = COALESCE("
        "(SELECT standing FROM memberships WHERE memberships.company_id = companies.id), status)"
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.alter_column(
            'stage',
            existing_type=sa.String(length=32),
            type_=sa.Enum(*STAGES, name='company_stage', native_enum=False, create_constraint=True, length=32),
            existing_nullable=True,
            nullable=False,
        )
        batch_op.create_index('ix_companies_stage_submitted', ['stage', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_companies_submitted', ['submitted_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # pg_trgm ships with PostgreSQL and is a trusted extension: a database owner may add it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for column in TRIGRAM_COLUMNS:
            op.create_index(
                f'ix_companies_{column}_trigrams', 'companies', [column],
                postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'},
            )


def downgrade():
    op.drop_table('data_versions')
    if op.get_bind().dialect.name == 'postgresql':
        for column in TRIGRAM_COLUMNS:
            op.drop_index(f'ix_companies_{column}_trigrams', table_name='companies')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('ix_companies_submitted')
        batch_op.drop_index('ix_companies_stage_submitted')
        batch_op.drop_constraint(batch_op.f('ck_companies_company_stage'), type_='check')
        batch_op.drop_column('stage')
