"""memberships and change requests: application state and membership standing are two things

Revision ID: d5a1e0c7b2f4
Revises: 4b1e5f0d8f61
Create Date: 2026-11-24 09:15:00

Members move to a `memberships` row (number, joined date, standing active); their application
stays as it was decided, approved. Audit entries that said "member" now say "active".
Change requests hold what an approved company asked to change, until staff decide. Users keep
the language they chose, for the e-mails sent to them.
"""
from alembic import op
import sqlalchemy as sa

import tracker.models_base


# revision identifiers, used by Alembic.
revision = 'd5a1e0c7b2f4'
down_revision = '4b1e5f0d8f61'
branch_labels = None
depends_on = None

OLD_STATUSES = ('submitted', 'returned', 'rejected', 'approved', 'member')
NEW_STATUSES = ('submitted', 'returned', 'rejected', 'approved')


def status_type(values):
    return sa.Enum(*values, name='company_status', native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('joined_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('standing', sa.Enum('active', 'suspended', 'withdrawn', 'expelled', name='membership_standing', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('standing_since', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_memberships_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('company_id', name=op.f('uq_memberships_company_id')),
    sa.UniqueConstraint('number', name=op.f('uq_memberships_number'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_standing'), ['standing'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))

    op.create_table('change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'returned', 'approved', 'withdrawn', name='change_request_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('proposed', sa.JSON(), nullable=False),
    sa.Column('created_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.String(length=4000), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_change_requests_company_id_companies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_change_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_change_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_requests'))
    )
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_requests_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_requests_status'), ['status'], unique=False)

    op.execute(
        "INSERT INTO memberships (company_id, number, joined_at, standing, standing_since) "
        "SELECT id, membership_number, joined_at, 'active', joined_at FROM companies "
        "WHERE status = 'member'"
    )
    op.execute("UPDATE companies SET status = 'approved' WHERE status = 'member'")
    op.execute("UPDATE audit_entries SET to_status = 'active' WHERE to_status = 'member'")
    op.execute("UPDATE audit_entries SET from_status = 'active' WHERE from_status = 'member'")

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_companies_member_has_number'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_companies_membership_number'), type_='unique')
        batch_op.drop_column('membership_number')
        batch_op.drop_column('joined_at')
        batch_op.alter_column('status', existing_type=status_type(OLD_STATUSES), type_=status_type(NEW_STATUSES), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=status_type(NEW_STATUSES), type_=status_type(OLD_STATUSES), existing_nullable=False)
        batch_op.add_column(sa.Column('joined_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('membership_number', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_companies_membership_number'), ['membership_number'])

    # Only active members can be told apart as "member" in the old model; the others were members.
    op.execute(
        "UPDATE companies SET status = 'member', "
        "membership_number = (SELECT number FROM memberships WHERE company_id = companies.id), "
        "joined_at = (SELECT joined_at FROM memberships WHERE company_id = companies.id) "
        "WHERE id IN (SELECT company_id FROM memberships)"
    )
    op.execute("UPDATE audit_entries SET to_status = 'member' WHERE to_status = 'active'")
    op.execute("UPDATE audit_entries SET from_status = 'member' WHERE from_status = 'active'")
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_companies_member_has_number'), "status != 'member' OR (membership_number IS NOT NULL AND joined_at IS NOT NULL)")

    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_requests_status'))
        batch_op.drop_index(batch_op.f('ix_change_requests_company_id'))

    op.drop_table('change_requests')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_standing'))

    op.drop_table('memberships')
