"""invitation tokens: links carry a random token, rows its hash; ownership offers are rows

Revision ID: b3e8d61f4a27
Revises: 25168910b762
Create Date: 2026-12-06 19:19:40

Invitations (colleague and staff) get token_hash (unique), sent_at and cancelled_at. Links sent
before this carried a signed row id, which no hash can match: pending invitations stay listed
(sent_at = created_at) but their old links open nothing until they are sent again. Ownership
offers were stateless signed links; they become rows, and old offer links stop working.
Downgrading deletes cancelled invitations (the old schema deleted them on cancel).
"""
from alembic import op
import sqlalchemy as sa

import tracker.models_base


# revision identifiers, used by Alembic.
revision = 'b3e8d61f4a27'
down_revision = '25168910b762'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ownership_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=False),
    sa.Column('offered_to_id', sa.Integer(), nullable=False),
    sa.Column('created_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('sent_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_ownership_offers_company_id_companies')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_ownership_offers_offered_by_id_users')),
    sa.ForeignKeyConstraint(['offered_to_id'], ['users.id'], name=op.f('fk_ownership_offers_offered_to_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ownership_offers')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_ownership_offers_token_hash'))
    )
    with op.batch_alter_table('ownership_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ownership_offers_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sent_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_invitations_token_hash'), ['token_hash'])
    op.execute("UPDATE invitations SET sent_at = created_at")
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.alter_column('sent_at', existing_type=tracker.models_base.UTCDateTime(timezone=True), nullable=False)

    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sent_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_invitations_token_hash'), ['token_hash'])
    op.execute("UPDATE staff_invitations SET sent_at = created_at")
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.alter_column('sent_at', existing_type=tracker.models_base.UTCDateTime(timezone=True), nullable=False)


def downgrade():
    op.execute("DELETE FROM staff_invitations WHERE cancelled_at IS NOT NULL")
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_invitations_token_hash'), type_='unique')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('token_hash')

    op.execute("DELETE FROM invitations WHERE cancelled_at IS NOT NULL")
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitations_token_hash'), type_='unique')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('token_hash')

    with op.batch_alter_table('ownership_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ownership_offers_company_id'))

    op.drop_table('ownership_offers')
