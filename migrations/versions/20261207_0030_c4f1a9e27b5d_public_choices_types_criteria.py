"""company types, publication choices, criteria versions numbered 1, 2, …

Revision ID: c4f1a9e27b5d
Revises: c4a91e7d2b58
Create Date: 2026-12-07 00:00:00

Five more company types (the CHECK constraint is replaced). Each company chooses whether its
properties and its legal name are listed publicly: existing companies are, as before. The
criteria version "2024.1" every existing signature names is version "1" from now on (the
audit trail keeps the name it had when it was signed).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4f1a9e27b5d'
down_revision = 'c4a91e7d2b58'
branch_labels = None
depends_on = None

OLD_TYPES = (
    'hotel', 'hotel_chain', 'tour_operator', 'airline', 'travel_agency', 'transport',
    'tourism_association', 'other',
)
NEW_TYPES = (
    'hotel', 'hotel_chain', 'tour_operator', 'airline', 'travel_agency', 'transport',
    'tourism_association', 'airport', 'cruise_line', 'online_platform',
    'volunteering_organisation', 'corporate_travel_buyer', 'other',
)


def type_type(values):
    return sa.Enum(*values, name='company_type', native_enum=False, create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.alter_column('type', existing_type=type_type(OLD_TYPES), type_=type_type(NEW_TYPES), existing_nullable=False)
        batch_op.add_column(sa.Column('publish_properties', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('publish_legal_name', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute("UPDATE signatures SET criteria_version = '1' WHERE criteria_version = '2024.1'")


def downgrade():
    op.execute("UPDATE signatures SET criteria_version = '2024.1' WHERE criteria_version = '1'")
    # The older schema knows no other type: those companies become "other".
    new_only = ", ".join(f"'{value}'" for value in NEW_TYPES if value not in OLD_TYPES)
    op.execute(f"UPDATE companies SET type = 'other' WHERE type IN ({new_only})")
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('publish_legal_name')
        batch_op.drop_column('publish_properties')
        batch_op.alter_column('type', existing_type=type_type(NEW_TYPES), type_=type_type(OLD_TYPES), existing_nullable=False)

