"""server-side sessions: sign-out and password changes revoke them; session_version goes

Revision ID: c3f8d5e61a27
Revises: b7e1c2a94d10
Create Date: 2026-11-23 21:50:00

"""
from alembic import op
import sqlalchemy as sa

import tracker.models_base


revision = 'c3f8d5e61a27'
down_revision = 'b7e1c2a94d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('auth_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', tracker.models_base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('remembered', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', tracker.models_base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_sessions'))
    )
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_sessions_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_auth_sessions_user_id'), ['user_id'], unique=False)

    # Sessions signed in before this revision carry "<id>:<version>", which matches no token:
    # everyone signs in again once.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')


def downgrade():
    # Existing rows need a value for the NOT NULL column; the default goes again afterwards, as
    # the column had none (two blocks: SQLite copies the rows between them).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)

    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_auth_sessions_token_hash'))

    op.drop_table('auth_sessions')
