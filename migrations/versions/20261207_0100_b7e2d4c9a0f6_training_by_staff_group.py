"""training by staff group: new / refresher, in person / e-learning, currently trained

Revision ID: b7e2d4c9a0f6
Revises: c4d9e2f7a1b3
Create Date: 2026-12-07 01:00:00

Each training row (a country, or a property) gets one row per staff group (front-line,
management, other) with the people trained this year (new or refresher, in person or by
e-learning) and those currently trained (within the validity period). The training row keeps
the totals. Rows from before have no groups: their trained-this-year figure becomes their
"currently trained" (those people are certainly current), so published coverage does not move.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2d4c9a0f6'
down_revision = 'c4d9e2f7a1b3'
branch_labels = None
depends_on = None

COUNTS = ('employees', 'new_in_person', 'new_e_learning', 'refresher_in_person', 'refresher_e_learning', 'current')


def upgrade():
    with op.batch_alter_table('report_training', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current', sa.Integer(), nullable=True))
    op.execute('UPDATE report_training SET current = trained')
    with op.batch_alter_table('report_training', schema=None) as batch_op:
        batch_op.create_check_constraint('current_at_most_employees', 'current IS NULL OR current <= employees')

    op.create_table(
        'report_training_groups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column(
            'staff_group',
            sa.Enum('front_line', 'management', 'other', name='staff_group', native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in COUNTS),
        sa.CheckConstraint(
            ' AND '.join(f'({name} IS NULL OR {name} >= 0)' for name in COUNTS),
            name=op.f('ck_report_training_groups_not_negative'),
        ),
        sa.CheckConstraint(
            'COALESCE(new_in_person, 0) + COALESCE(new_e_learning, 0)'
            ' + COALESCE(refresher_in_person, 0) + COALESCE(refresher_e_learning, 0)'
            ' <= COALESCE(employees, 0)',
            name=op.f('ck_report_training_groups_trained_at_most_employees'),
        ),
        sa.CheckConstraint(
            'current IS NULL OR current <= COALESCE(employees, 0)',
            name=op.f('ck_report_training_groups_current_at_most_employees'),
        ),
        sa.ForeignKeyConstraint(['training_id'], ['report_training.id'], name=op.f('fk_report_training_groups_training_id_report_training'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_training_groups')),
        sa.UniqueConstraint('training_id', 'staff_group', name='uq_report_training_groups_group'),
    )
    with op.batch_alter_table('report_training_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_training_groups_training_id'), ['training_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_training_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_training_groups_training_id'))
    op.drop_table('report_training_groups')
    with op.batch_alter_table('report_training', schema=None) as batch_op:
        batch_op.drop_constraint('current_at_most_employees', type_='check')
        batch_op.drop_column('current')
