"""representative organisations: countries, members assigned, and the permission table

Revision ID: c4d9e2f7a1b3
Revises: c4e9a1b7d2f0
Create Date: 2026-12-07 00:00:00

Local Code Representatives become organisations. Each distinct set of countries among the
existing representative accounts (and pending representative invitations) becomes one
organisation, named after its countries ("Local Code Representative for Cambodia, Thailand"),
which the accounts and invitations then belong to; staff_countries goes. No member is assigned
(supported by ECPAT). The permission table starts with its defaults: representatives may take
every editable decision; ECPAT-only decisions have no row and cannot be granted.
Downgrading gives each representative its organisation's countries back.
"""
import json

import pycountry
import sqlalchemy as sa
from alembic import op

from tracker.models_base import UTCDateTime, utcnow

# revision identifiers, used by Alembic.
revision = 'c4d9e2f7a1b3'
down_revision = 'c4e9a1b7d2f0'
branch_labels = None
depends_on = None

EDITABLE = ('return_application', 'return_report', 'recommend_approval', 'return_plan')
DECISIONS = (
    *EDITABLE, 'approve_application', 'reject_application', 'accept_report', 'suspend',
    'reinstate', 'expel', 'waive_fees', 'approve_plan', 'top_member', 'grant_extension',
    'assign_representative',
)

representatives = sa.table(
    'representatives', sa.column('id', sa.Integer), sa.column('name', sa.String),
    sa.column('created_at', UTCDateTime(timezone=True)),
)
representative_countries = sa.table(
    'representative_countries', sa.column('representative_id', sa.Integer),
    sa.column('country_code', sa.String),
)
permissions = sa.table(
    'representative_permissions', sa.column('decision', sa.String), sa.column('allowed', sa.Boolean),
    sa.column('updated_at', UTCDateTime(timezone=True)),
)


def _name(codes: tuple[str, ...]) -> str:
    names = sorted(getattr(pycountry.countries.get(alpha_2=c), 'name', c) for c in codes)
    return f"Local Code Representative for {', '.join(names)}"[:200]


def upgrade():
    op.create_table(
        'representatives',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('website', sa.String(length=255), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_representatives')),
        sa.UniqueConstraint('name', name=op.f('uq_representatives_name')),
    )
    op.create_table(
        'representative_countries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('representative_id', sa.Integer(), nullable=False),
        sa.Column('country_code', sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ['representative_id'], ['representatives.id'],
            name=op.f('fk_representative_countries_representative_id_representatives'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_representative_countries')),
        sa.UniqueConstraint('representative_id', 'country_code', name='uq_representative_country'),
    )
    with op.batch_alter_table('representative_countries', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_representative_countries_country_code'), ['country_code'], unique=False
        )
    op.create_table(
        'representative_permissions',
        sa.Column(
            'decision',
            sa.Enum(*DECISIONS, name='representative_decision', native_enum=False,
                    create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column('allowed', sa.Boolean(), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['users.id'],
            name=op.f('fk_representative_permissions_updated_by_id_users'),
        ),
        sa.PrimaryKeyConstraint('decision', name=op.f('pk_representative_permissions')),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_representative_id'), ['representative_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_users_representative_id_representatives'), 'representatives',
            ['representative_id'], ['id'],
        )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_companies_representative_id'), ['representative_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_companies_representative_id_representatives'), 'representatives',
            ['representative_id'], ['id'],
        )
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_staff_invitations_representative_id_representatives'), 'representatives',
            ['representative_id'], ['id'],
        )

    _carry_representatives_across()

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_users_representative_org'), "role = 'representative' OR representative_id IS NULL"
        )
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.drop_column('countries')
    with op.batch_alter_table('staff_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_countries_country_code'))
    op.drop_table('staff_countries')


def _carry_representatives_across():
    bind = op.get_bind()
    now = utcnow()
    by_user: dict[int, set[str]] = {}
    for user_id, code in bind.execute(sa.text(
        "SELECT staff_countries.user_id, staff_countries.country_code FROM staff_countries "
        "JOIN users ON users.id = staff_countries.user_id WHERE users.role = 'representative'"
    )):
        by_user.setdefault(user_id, set()).add(code)
    by_invitation: dict[int, set[str]] = {}
    for invitation_id, countries in bind.execute(sa.text(
        "SELECT id, countries FROM staff_invitations WHERE role = 'representative'"
    )):
        codes = json.loads(countries) if isinstance(countries, str) else countries
        if codes:
            by_invitation[invitation_id] = set(codes)
    organisations: dict[tuple[str, ...], int] = {}
    for codes in sorted({tuple(sorted(c)) for c in (*by_user.values(), *by_invitation.values())}):
        bind.execute(representatives.insert().values(name=_name(codes), created_at=now))
        organisations[codes] = bind.execute(
            sa.select(representatives.c.id).where(representatives.c.name == _name(codes))
        ).scalar_one()
        bind.execute(representative_countries.insert(), [
            {'representative_id': organisations[codes], 'country_code': code} for code in codes
        ])
    for table, rows in (('users', by_user), ('staff_invitations', by_invitation)):
        for row_id, codes in rows.items():
            bind.execute(
                sa.text(f"UPDATE {table} SET representative_id = :org WHERE id = :id"),
                {'org': organisations[tuple(sorted(codes))], 'id': row_id},
            )
    bind.execute(permissions.insert(), [
        {'decision': decision, 'allowed': True, 'updated_at': now} for decision in EDITABLE
    ])


def downgrade():
    op.create_table(
        'staff_countries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('country_code', sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_countries_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_countries')),
        sa.UniqueConstraint('user_id', 'country_code', name='uq_staff_country'),
    )
    with op.batch_alter_table('staff_countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_countries_country_code'), ['country_code'], unique=False)
    op.execute(
        "INSERT INTO staff_countries (user_id, country_code) "
        "SELECT users.id, representative_countries.country_code FROM users "
        "JOIN representative_countries ON representative_countries.representative_id = users.representative_id"
    )
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('countries', sa.JSON(), nullable=True))
    bind = op.get_bind()
    for invitation_id, org in bind.execute(sa.text("SELECT id, representative_id FROM staff_invitations")):
        codes = [] if org is None else sorted(bind.execute(sa.text(
            "SELECT country_code FROM representative_countries WHERE representative_id = :org"
        ), {'org': org}).scalars())
        bind.execute(
            sa.text("UPDATE staff_invitations SET countries = :countries WHERE id = :id"),
            {'countries': json.dumps(codes), 'id': invitation_id},
        )
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.alter_column('countries', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f('fk_staff_invitations_representative_id_representatives'), type_='foreignkey'
        )
        batch_op.drop_column('representative_id')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_companies_representative_id_representatives'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_companies_representative_id'))
        batch_op.drop_column('representative_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_representative_org'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_users_representative_id_representatives'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_representative_id'))
        batch_op.drop_column('representative_id')
    op.drop_table('representative_permissions')
    with op.batch_alter_table('representative_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_representative_countries_country_code'))
    op.drop_table('representative_countries')
    op.drop_table('representatives')
