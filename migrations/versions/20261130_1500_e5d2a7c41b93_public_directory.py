"""public directory: profile addresses (slugs) and searchable names

Revision ID: e5d2a7c41b93
Revises: c281ef7f1f02
Create Date: 2026-11-30 15:00:00

Each company gets the address of its public profile (a slug of its display name, numbered when
another company has it) and its names folded for search (lower case, no accents or
punctuation), both filled here as `tracker/companies/naming.py` fills them for new companies;
`company_slugs` keeps the addresses of renamed companies so that they redirect. Indexes for the
directory's name order and its city filter; on PostgreSQL a trigram index for the name search.
"""
from alembic import op
import sqlalchemy as sa
from slugify import slugify

import tracker.models_base


# revision identifiers, used by Alembic.
revision = 'e5d2a7c41b93'
down_revision = 'c281ef7f1f02'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    op.create_table('company_slugs',
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('retired_at', tracker.models_base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_slugs_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_company_slugs'))
    )
    with op.batch_alter_table('company_slugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_slugs_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('search_name', sa.String(length=400), nullable=True))
    fill_names()
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.alter_column('slug', existing_type=sa.String(length=160), nullable=False)
        batch_op.alter_column('search_name', existing_type=sa.String(length=400), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_companies_slug'), ['slug'])
        batch_op.create_index('ix_companies_stage_search_name', ['stage', 'search_name', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_companies_search_name_trigrams', 'companies', ['search_name'],
            postgresql_using='gin', postgresql_ops={'search_name': 'gin_trgm_ops'},
        )

    with op.batch_alter_table('operations', schema=None) as batch_op:
        batch_op.create_index('ix_operations_country_city', ['country_code', 'city'], unique=False)
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_joined_at'), ['joined_at'], unique=False)


def fill_names():
    """Slugs in order of id, so that the oldest company with a name keeps it unnumbered."""
    connection = op.get_bind()
    companies = sa.table(
        'companies', sa.column('id'), sa.column('display_name'), sa.column('legal_name'),
        sa.column('slug'), sa.column('search_name'),
    )
    taken = set()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(companies.c.id, companies.c.display_name, companies.c.legal_name)
            .where(companies.c.id > last).order_by(companies.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        updates = []
        for company_id, display_name, legal_name in rows:
            base = slugify(display_name, max_length=120, word_boundary=True) or 'company'
            n = 1
            while (slug := base if n == 1 else f'{base}-{n}') in taken:
                n += 1
            taken.add(slug)
            folded = f"{slugify(display_name, separator=' ')} | {slugify(legal_name, separator=' ')}"
            updates.append({'key': company_id, 'slug': slug, 'search_name': folded})
        connection.execute(
            companies.update().where(companies.c.id == sa.bindparam('key')).values(
                slug=sa.bindparam('slug'), search_name=sa.bindparam('search_name')
            ),
            updates,
        )
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_joined_at'))
    with op.batch_alter_table('operations', schema=None) as batch_op:
        batch_op.drop_index('ix_operations_country_city')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_companies_search_name_trigrams', table_name='companies')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('ix_companies_stage_search_name')
        batch_op.drop_constraint(batch_op.f('uq_companies_slug'), type_='unique')
        batch_op.drop_column('search_name')
        batch_op.drop_column('slug')
    with op.batch_alter_table('company_slugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_slugs_company_id'))
    op.drop_table('company_slugs')
