"""Top Member as a yearly list: an award per member and reporting year; no top_member_since

Revision ID: e4a1c9b7d3f2
Revises: e4a9c2d7b815
Create Date: 2026-12-07 00:00:00

Each member recognised today (`memberships.top_member_since`) becomes a Top Member of the last
ended reporting year, named when it was recognised (by nobody on record: the audit log has who).
Downgrading keeps the members named for the latest named year as recognised since then.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from tracker.models_base import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'e4a1c9b7d3f2'
down_revision = 'e4a9c2d7b815'
branch_labels = None
depends_on = None

memberships = sa.table(
    'memberships',
    sa.column('company_id', sa.Integer),
    sa.column('top_member_since', UTCDateTime(timezone=True)),
)
awards = sa.table(
    'top_member_awards',
    sa.column('company_id', sa.Integer),
    sa.column('year', sa.Integer),
    sa.column('named_at', UTCDateTime(timezone=True)),
    sa.column('withdrawn_at', UTCDateTime(timezone=True)),
)


def last_ended_year() -> int:
    from flask import current_app

    from tracker.reports.periods import ReportingCalendar

    calendar = ReportingCalendar.from_config(current_app.config)
    return calendar.containing(datetime.now(UTC).date()).year - 1


def upgrade():
    op.create_table(
        'top_member_awards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('named_by_id', sa.Integer(), nullable=True),
        sa.Column('named_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('citation', sa.String(length=2000), nullable=True),
        sa.Column('withdrawn_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.Column('withdrawal_reason', sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            'withdrawn_at IS NULL OR withdrawal_reason IS NOT NULL',
            name=op.f('ck_top_member_awards_withdrawn_with_reason'),
        ),
        sa.ForeignKeyConstraint(
            ['company_id'], ['companies.id'], name=op.f('fk_top_member_awards_company_id_companies')
        ),
        sa.ForeignKeyConstraint(
            ['named_by_id'], ['users.id'], name=op.f('fk_top_member_awards_named_by_id_users')
        ),
        sa.ForeignKeyConstraint(
            ['withdrawn_by_id'], ['users.id'], name=op.f('fk_top_member_awards_withdrawn_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_top_member_awards')),
        sa.UniqueConstraint('company_id', 'year', name='uq_top_member_awards_year'),
    )
    with op.batch_alter_table('top_member_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_top_member_awards_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_top_member_awards_year', ['year', 'withdrawn_at'], unique=False)

    connection = op.get_bind()
    recognised = connection.execute(
        sa.select(memberships.c.company_id, memberships.c.top_member_since).where(
            memberships.c.top_member_since.is_not(None)
        )
    ).all()
    if recognised:
        year = last_ended_year()
        connection.execute(
            awards.insert(),
            [{'company_id': company_id, 'year': year, 'named_at': since} for company_id, since in recognised],
        )

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_top_member_since'))
        batch_op.drop_column('top_member_since')


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('top_member_since', UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_memberships_top_member_since'), ['top_member_since'], unique=False)

    connection = op.get_bind()
    standing = awards.c.withdrawn_at.is_(None)
    latest = connection.execute(sa.select(sa.func.max(awards.c.year)).where(standing)).scalar()
    if latest is not None:
        named = connection.execute(
            sa.select(awards.c.company_id, awards.c.named_at).where(standing, awards.c.year == latest)
        ).all()
        for company_id, named_at in named:
            connection.execute(
                memberships.update()
                .where(memberships.c.company_id == company_id)
                .values(top_member_since=named_at)
            )

    with op.batch_alter_table('top_member_awards', schema=None) as batch_op:
        batch_op.drop_index('ix_top_member_awards_year')
        batch_op.drop_index(batch_op.f('ix_top_member_awards_company_id'))
    op.drop_table('top_member_awards')
