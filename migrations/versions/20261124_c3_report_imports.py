"""Report imports awaiting review, the report paragraphs, and recommendation evidence links.

Revision ID: c3_report_imports
Revises: b2_oversight
Create Date: 2026-11-24 20:33:18.516258

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3_report_imports'
down_revision = 'b2_oversight'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('report_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('parsed', sa.JSON(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_report_import_authority_id_authority')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_report_import_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_report_import_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_import'))
    )
    with op.batch_alter_table('report_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_import_authority_id'), ['authority_id'], unique=False)

    op.create_table('report_paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_report_paragraph_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_paragraph')),
    sa.UniqueConstraint('inspection_id', 'number', name=op.f('uq_report_paragraph_inspection_id'))
    )
    with op.batch_alter_table('report_paragraph', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_paragraph_inspection_id'), ['inspection_id'], unique=False)

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paragraph_numbers', sa.JSON(), nullable=True))




def downgrade():

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('paragraph_numbers')

    with op.batch_alter_table('report_paragraph', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_paragraph_inspection_id'))

    op.drop_table('report_paragraph')
    with op.batch_alter_table('report_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_import_authority_id'))

    op.drop_table('report_import')

