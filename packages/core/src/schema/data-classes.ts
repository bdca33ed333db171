/**
 * The data class of every column of both stores (rulebook P8, JR/T 0171-2020):
 * - C3 authentication data — never stored (imports refuse such columns), so no column here may be C3;
 * - C2 identity and financial data (names, ID numbers, phones, account/card numbers, balances, transactions, income,
 *   address, birth date) — encrypted at rest where it identifies a person (`*_enc`), masked on display;
 * - C1 internal data (ids, timestamps of internal processes, codes, tokens).
 * `antiFraudOnly` marks fields that rule A1 forbids for marketing (the tag compiler refuses them).
 * The test `data-classes.test.ts` fails when a migrated column is missing here.
 */
import { isSnapshotValueColumn } from '../tags/snapshot.ts';

export type DataClass = 'C1' | 'C2';

export interface ColumnClass {
  class: DataClass;
  antiFraudOnly?: boolean;
}

type TableClasses = Record<string, DataClass | ColumnClass>;

const c1 = (...cols: string[]): TableClasses => Object.fromEntries(cols.map((c) => [c, 'C1' as const]));
const c2 = (...cols: string[]): TableClasses => Object.fromEntries(cols.map((c) => [c, 'C2' as const]));

export const operationalColumns: Record<string, TableClasses> = {
  schema_migrations: c1('id', 'checksum', 'applied_at'),
  branches: c1('id', 'name_zh', 'name_en', 'province', 'city', 'parent_id', 'created_at'),
  roles: c1('id', 'name_zh', 'name_en'),
  users: {
    ...c1('id', 'username', 'role_id', 'branch_id', 'failed_logins', 'locked_until', 'disabled', 'created_at'),
    ...c2('display_name', 'password_hash'),
    ...c1('password_changed_at'),
  },
  customers: {
    ...c1('id', 'cif', 'home_branch_id', 'rm_user_id', 'investor_class', 'flags', 'personalised_marketing', 'status'),
    ...c1('created_at', 'updated_at', 'onboarded_at', 'risk_level', 'risk_assessed_at', 'city_tier', 'county_level'),
    ...c2('name_enc', 'name_hash', 'name_masked', 'gender', 'birth_date', 'id_number_enc', 'id_number_hash'),
    ...c2('mobile_enc', 'mobile_hash', 'mobile_masked', 'province', 'city', 'occupation', 'industry', 'employer_type'),
    ...c2('education', 'marital_status', 'children_count', 'housing', 'city_since', 'monthly_income_fen'),
    ...c2('investment_experience'),
    ...c1('merged_into', 'erased_at'),
  },
  source_records: {
    ...c1('id', 'source_system', 'source_key', 'customer_id', 'synthetic_truth_id', 'received_at'),
    ...c2('attrs_enc', 'id_number_hash', 'mobile_hash', 'birth_date'),
  },
  products: c1(
    'id',
    'name_zh',
    'name_en',
    'family',
    'risk_level',
    'risk_rated_at',
    'benchmark_yield_bp',
    'min_amount_fen',
    'is_private',
    'term_days',
    'issuer',
    'status',
    'launched_at',
  ),
  accounts: {
    ...c1('id', 'customer_id', 'kind', 'branch_id', 'opened_at', 'closed_at', 'status'),
    ...c2('account_no_hash', 'account_no_masked', 'balance_fen'),
  },
  holdings: {
    ...c1('id', 'customer_id', 'product_id', 'account_id', 'signed_at', 'maturity_date', 'closed_at', 'status'),
    ...c2('amount_fen'),
  },
  credit_cards: {
    ...c1('id', 'customer_id', 'product_id', 'issued_at', 'activated_at', 'bound_to_wallet', 'status'),
    ...c2('card_no_hash', 'card_no_masked', 'limit_fen'),
  },
  loans: {
    ...c1('id', 'customer_id', 'product_id', 'disbursed_at', 'maturity_date', 'status'),
    ...c2('principal_fen', 'outstanding_fen', 'overdue_days'),
  },
  consents: c1(
    'id',
    'customer_id',
    'purpose',
    'channel',
    'status',
    'notice_version',
    'source',
    'evidence',
    'recorded_at',
    'recorded_by',
  ),
  import_runs: c1(
    'id',
    'source',
    'schema_version',
    'file_name',
    'file_sha256',
    'format',
    'mapping',
    'status',
    'rows_total',
    'rows_loaded',
    'rows_duplicate',
    'rows_quarantined',
    'error',
    'started_at',
    'finished_at',
  ),
  import_quarantine: {
    ...c1('id', 'run_id', 'file_name', 'line', 'field', 'reason', 'created_at'),
    ...c2('raw_enc'),
  },
  settings: c1('key', 'value', 'updated_at', 'updated_by'),
  tag_definitions: c1('id', 'version', 'hash', 'definition', 'created_at', 'follows'),
  tag_refresh_runs: c1(
    'run_id',
    'as_of',
    'trigger',
    'actor',
    'started_at',
    'finished_at',
    'status',
    'error',
    'tags',
    'customers',
    'new_versions',
    'duration_ms',
  ),
  custom_tag_definitions: c1(
    'id',
    'definition',
    'created_by',
    'created_at',
    'updated_by',
    'updated_at',
    'retired_by',
    'retired_at',
  ),
  audiences: c1('id', 'name', 'expression', 'purpose', 'created_by', 'created_at', 'updated_at'),
  audience_snapshots: {
    ...c1('id', 'audience_id', 'as_of', 'tag_versions', 'expression', 'customer_count', 'excluded_p4', 'created_by'),
    ...c1('created_at'),
    ...c2('bitmap'),
  },
  // 0004_security: staff sessions (only digests of the session id and CSRF token) and the hash-chained audit trail.
  // The client IP is personal data (C2) and is kept only as a keyed hash; audit reasons and details are free text
  // typed by staff, so they are declared C2 even though modules must not put customer PII in them.
  sessions: {
    ...c1('id_hash', 'user_id', 'csrf_token_hash', 'created_at', 'expires_at', 'last_seen_at'),
    ...c2('ip_hash'),
  },
  audit_log: {
    ...c1('seq', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'prev_hash', 'hash'),
    ...c2('reason', 'details'),
  },
  audit_head: c1('id', 'seq', 'hash'),
  rule_param_versions: c1('id', 'rule_id', 'version', 'params', 'reason', 'changed_by', 'changed_at'),
  setting_versions: c1('id', 'key', 'version', 'value', 'reason', 'changed_by', 'changed_at'),
  approval_uses: c1('approval_id', 'used_by', 'used_at', 'target_type', 'target_id'),
  approvals: c1(
    'id',
    'kind',
    'title',
    'payload',
    'findings',
    'rule_ids',
    'status',
    'submitted_by',
    'submitted_at',
    'decided_by',
    'decided_at',
    'comment',
  ),
  // answers reveal the customer's finances and experience (S4), so they are C2 like the income they describe
  risk_assessments: {
    ...c1('id', 'customer_id', 'questionnaire_version', 'score', 'level', 'outcome', 'rule_ids', 'channel'),
    ...c1('attempted_at', 'valid_until'),
    ...c2('answers'),
  },
  h5_links: c1('token_hash', 'customer_id', 'kind', 'created_by', 'created_at', 'expires_at', 'spent_at'),
  tag_optouts: c1('customer_id', 'tag_id', 'at', 'source'),
  golden_lineage: c1('customer_id', 'field', 'source_record_id', 'source_system', 'rule', 'candidates', 'decided_at'),
  identity_merges: c1(
    'id',
    'kind',
    'survivor_id',
    'merged_id',
    'moved',
    'actor',
    'reason',
    'undoes',
    'undone_by',
    'at',
  ),
  identity_review: {
    ...c1('id', 'record_a', 'record_b', 'match_probability', 'match_weight', 'status', 'decided_by', 'decided_at'),
    ...c1('created_at'),
    ...c2('evidence'),
  },
  // 0007_models: model registry and monitoring (aggregates only: C1); reasons quote a customer's balances and
  // activity in words, so they are C2 like the tag values they come from.
  models: c1(
    'id',
    'model_key',
    'kind',
    'family',
    'version',
    'status',
    'params',
    'metrics',
    'curves',
    'importance',
    'features',
    'reference',
    'trained_at',
    'trained_on_as_of',
    'model_json',
    'promoted_at',
  ),
  model_runs: c1(
    'model_id',
    'as_of',
    'scored',
    'bands',
    'histogram',
    'score_psi',
    'max_feature_psi',
    'drift_warning',
    'evaluation',
    'scored_at',
  ),
  model_drift: c1('model_id', 'as_of', 'feature', 'psi'),
  model_reasons: {
    ...c1('model_key', 'customer_id', 'model_id', 'as_of', 'score', 'band'),
    ...c2('reasons'),
  },
};

export const analyticsColumns: Record<string, TableClasses> = {
  synth_truth: c1('customer_id', 'lifecycle', 'personas', 'churn_date'),
  // plus one value column per tag version (t_<id>_v<n>), all C2: see columnClass
  tag_snapshot: c1('as_of', 'customer_id'),
  tag_snapshot_columns: c1('as_of', 'tag_id', 'version', 'column_name', 'value_type', 'run_id'),
  tag_refresh_stats: c1(
    'as_of',
    'tag_id',
    'version',
    'run_id',
    'refreshed_at',
    'total',
    'non_null',
    'coverage',
    'distribution',
    'duration_ms',
  ),
  model_scores: c1('as_of', 'customer_id', 'model_id', 'score', 'band', 'reasons', 'version'),
  schema_migrations: c1('id', 'checksum', 'applied_at'),
  transactions: {
    ...c1('txn_id', 'customer_id', 'account_id', 'ts', 'import_run_id'),
    ...c2('amount_fen', 'direction', 'channel', 'txn_type', 'merchant_category', 'counterparty_type', 'cross_border'),
  },
  app_events: {
    ...c1('event_id', 'customer_id', 'ts', 'event_type', 'page', 'product_id', 'product_family', 'session_id'),
    ...c1('duration_s', 'import_run_id'),
    device_id: { class: 'C2', antiFraudOnly: true },
    ip: { class: 'C2', antiFraudOnly: true },
  },
  holdings_daily: { ...c1('date', 'customer_id', 'product_id', 'product_family'), ...c2('balance_fen') },
  contacts: c1(
    'contact_id',
    'customer_id',
    'ts',
    'channel',
    'purpose',
    'campaign_id',
    'action_id',
    'template_version',
    'outcome',
    'response_ts',
    'nps',
    'rule_ids',
  ),
  dim_customers: {
    ...c1('customer_id', 'city_tier', 'county_level', 'onboarded_at', 'home_branch_id', 'rm_user_id', 'risk_level'),
    ...c1('risk_assessed_at', 'flags', 'personalised_marketing', 'status', 'version'),
    ...c2('gender', 'birth_date', 'province', 'city', 'occupation', 'industry', 'employer_type', 'education'),
    ...c2('marital_status', 'children_count', 'housing', 'city_since', 'monthly_income_fen', 'investment_experience'),
  },
  dim_products: c1('product_id', 'family', 'risk_level', 'is_private', 'term_days', 'version'),
  dim_accounts: {
    ...c1('account_id', 'customer_id', 'kind', 'opened_at', 'closed_at', 'status', 'version'),
    ...c2('balance_fen'),
  },
  dim_holdings: {
    ...c1('holding_id', 'customer_id', 'product_id', 'family', 'signed_at', 'maturity_date', 'closed_at', 'status'),
    ...c1('version'),
    ...c2('amount_fen'),
  },
  dim_cards: {
    ...c1('card_id', 'customer_id', 'product_id', 'issued_at', 'activated_at', 'bound_to_wallet', 'status', 'version'),
    ...c2('limit_fen'),
  },
  dim_loans: {
    ...c1('loan_id', 'customer_id', 'product_id', 'family', 'disbursed_at', 'maturity_date', 'status', 'version'),
    ...c2('principal_fen', 'outstanding_fen', 'overdue_days'),
  },
};

export function columnClass(
  store: 'operational' | 'analytics',
  table: string,
  column: string,
): ColumnClass | undefined {
  const entry = (store === 'operational' ? operationalColumns : analyticsColumns)[table]?.[column];
  // tag values are personal data (C2) whatever the tag: the snapshot adds a column per tag version at refresh time
  if (entry === undefined && store === 'analytics' && table === 'tag_snapshot' && isSnapshotValueColumn(column))
    return { class: 'C2' };
  if (entry === undefined) return undefined;
  return typeof entry === 'string' ? { class: entry } : entry;
}
