"""Report imports read off the request: their status, the reason a read failed, the upload.

Revision ID: imp_parse_status
Revises: i9_short_names
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'imp_parse_status'
down_revision = 'i9_short_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='ready', nullable=False))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('pasted', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('report_import', schema=None) as batch_op:
        batch_op.drop_column('pasted')
        batch_op.drop_column('source')
        batch_op.drop_column('error')
        batch_op.drop_column('status')
