"""reviewed property text: a member's properties added after approval wait for staff

Revision ID: b7e3f9a2c614
Revises: a9c4e1f7d2b5
Create Date: 2026-12-06 20:10:00

Every existing row counts as reviewed (it was public already): only rows a member adds from now
on wait for staff before their property name and city are shown to the public.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7e3f9a2c614'
down_revision = 'a9c4e1f7d2b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('operations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reviewed', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table('operations', schema=None) as batch_op:
        batch_op.drop_column('reviewed')
