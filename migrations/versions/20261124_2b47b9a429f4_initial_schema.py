"""Initial schema: authorities, users, inspections, actions, updates, evidence, measures, audit.

Revision ID: 2b47b9a429f4
Revises: 
Create Date: 2026-11-24 20:13:39.618713

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2b47b9a429f4'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('authority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email_domain', sa.String(length=200), nullable=True),
    sa.Column('case_reference_pattern', sa.String(length=200), nullable=True),
    sa.Column('rag_red', sa.Text(), nullable=False),
    sa.Column('rag_amber', sa.Text(), nullable=False),
    sa.Column('rag_green', sa.Text(), nullable=False),
    sa.Column('rag_blue', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority')),
    sa.UniqueConstraint('name', name=op.f('uq_authority_name'))
    )
    op.create_table('sign_in_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempt'))
    )
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_attempt_email'), ['email'], unique=False)

    op.create_table('audit_head',
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_audit_head_authority_id_authority')),
    sa.PrimaryKeyConstraint('authority_id', name=op.f('pk_audit_head'))
    )
    op.create_table('service_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_service_area_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_area')),
    sa.UniqueConstraint('authority_id', 'name', name=op.f('uq_service_area_authority_id'))
    )
    with op.batch_alter_table('service_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_area_authority_id'), ['authority_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('administrator', 'director', 'head_of_service', 'service_manager', 'viewer', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('service_area_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_user_account_authority_id_authority')),
    sa.ForeignKeyConstraint(['service_area_id'], ['service_area.id'], name=op.f('fk_user_account_service_area_id_service_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_account_service_area_id'), ['service_area_id'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('ilacs_standard', 'ilacs_short', 'focused_visit', 'jtai', 'sif', 'monitoring_visit', name='inspectionkind', native_enum=False, length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('received_on_reason', sa.Text(), nullable=True),
    sa.Column('lead_inspector', sa.String(length=200), nullable=True),
    sa.Column('plan_owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_inspection_dates_in_order')),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_inspection_authority_id_authority')),
    sa.ForeignKeyConstraint(['plan_owner_id'], ['user_account.id'], name=op.f('fk_inspection_plan_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_authority_id'), ['authority_id'], unique=False)

    op.create_table('judgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=300), nullable=False),
    sa.Column('grade', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_judgement_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judgement'))
    )
    with op.batch_alter_table('judgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judgement_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('senior_lead', sa.String(length=200), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(closed_at IS NULL) = (closed_by_id IS NULL)', name=op.f('ck_recommendation_closed_with_closer')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_recommendation_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_recommendation_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation')),
    sa.UniqueConstraint('inspection_id', 'number', name=op.f('uq_recommendation_inspection_id'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=True),
    sa.Column('service_area_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('original_due_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'complete', name='actionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('rag', sa.Enum('red', 'amber', 'green', 'blue', name='rag', native_enum=False, length=32), nullable=False),
    sa.Column('impact_evidenced', sa.Boolean(), nullable=False),
    sa.Column('measure_of_success', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'complete') = (rag = 'blue')", name=op.f('ck_action_blue_iff_complete')),
    sa.CheckConstraint('due_date >= start_date', name=op.f('ck_action_due_after_start')),
    sa.ForeignKeyConstraint(['delegate_id'], ['user_account.id'], name=op.f('fk_action_delegate_id_user_account')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_action_owner_id_user_account')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_action_recommendation_id_recommendation')),
    sa.ForeignKeyConstraint(['service_area_id'], ['service_area.id'], name=op.f('fk_action_service_area_id_service_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action')),
    sa.UniqueConstraint('recommendation_id', 'reference', name=op.f('uq_action_recommendation_id'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_rag'), ['rag'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_service_area_id'), ['service_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_status'), ['status'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('verb', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_audit_event_action_id_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_audit_event_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('authority_id', 'sequence', name=op.f('uq_audit_event_authority_id'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_authority_id'), ['authority_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline_value', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('baseline_date', sa.Date(), nullable=False),
    sa.Column('target_value', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_measure_action_id_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_action_id'), ['action_id'], unique=False)

    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'approved', name='updatestate', native_enum=False, length=32), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('proposed_status', sa.Enum('not_started', 'in_progress', 'complete', name='actionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('proposed_rag', sa.Enum('red', 'amber', 'green', 'blue', name='rag', native_enum=False, length=32), nullable=False),
    sa.Column('rag_reason', sa.Text(), nullable=True),
    sa.Column('impact_evidenced', sa.Boolean(), nullable=False),
    sa.Column('proposed_due_date', sa.Date(), nullable=True),
    sa.Column('due_date_reason', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('submission_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("proposed_rag != 'blue'", name=op.f('ck_progress_update_blue_is_derived')),
    sa.CheckConstraint("state != 'approved' OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL)", name=op.f('ck_progress_update_approved_has_reviewer')),
    sa.CheckConstraint("state != 'returned' OR (review_comment IS NOT NULL AND reviewer_id IS NOT NULL)", name=op.f('ck_progress_update_returned_has_comment')),
    sa.CheckConstraint('proposed_due_date IS NULL OR due_date_reason IS NOT NULL', name=op.f('ck_progress_update_due_date_change_has_reason')),
    sa.CheckConstraint('reviewer_id IS NULL OR reviewer_id != author_id', name=op.f('ck_progress_update_no_self_review')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_progress_update_action_id_action')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_progress_update_author_id_user_account')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_progress_update_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update')),
    sa.UniqueConstraint('submission_token', name=op.f('uq_progress_update_submission_token'))
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_update_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_progress_update_state_submitted_at', ['state', 'submitted_at'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('file', 'link', name='evidencekind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'file' AND sha256 IS NOT NULL AND url IS NULL) OR (kind = 'link' AND url IS NOT NULL AND sha256 IS NULL)", name=op.f('ck_evidence_file_or_link')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_evidence_action_id_action')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_evidence_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['evidence.id'], name=op.f('fk_evidence_superseded_by_id_evidence')),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_evidence_update_id_progress_update')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_update_id'), ['update_id'], unique=False)

    op.create_table('measure_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_measure_value_measure_id_measure')),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_measure_value_update_id_progress_update')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_value'))
    )
    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_value_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_value_update_id'), ['update_id'], unique=False)




def downgrade():

    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_value_update_id'))
        batch_op.drop_index(batch_op.f('ix_measure_value_measure_id'))

    op.drop_table('measure_value')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_update_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_action_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_update_state_submitted_at')
        batch_op.drop_index(batch_op.f('ix_progress_update_author_id'))
        batch_op.drop_index(batch_op.f('ix_progress_update_action_id'))

    op.drop_table('progress_update')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_action_id'))

    op.drop_table('measure')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_authority_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_status'))
        batch_op.drop_index(batch_op.f('ix_action_service_area_id'))
        batch_op.drop_index(batch_op.f('ix_action_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_action_rag'))
        batch_op.drop_index(batch_op.f('ix_action_owner_id'))
        batch_op.drop_index(batch_op.f('ix_action_due_date'))
        batch_op.drop_index(batch_op.f('ix_action_delegate_id'))

    op.drop_table('action')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_inspection_id'))

    op.drop_table('recommendation')
    with op.batch_alter_table('judgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judgement_inspection_id'))

    op.drop_table('judgement')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_authority_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_service_area_id'))
        batch_op.drop_index(batch_op.f('ix_user_account_authority_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('service_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_area_authority_id'))

    op.drop_table('service_area')
    op.drop_table('audit_head')
    with op.batch_alter_table('sign_in_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_email'))
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_attempt_address'))

    op.drop_table('sign_in_attempt')
    op.drop_table('authority')

