import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '@lingxi/core/ingest/mapping';
import { SOURCE_NAMES } from '@lingxi/core/ingest/source-schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappingFile, quarantinedRows, recentImportRuns, runImport } from './import.service.ts';
import { customerFixture, openTestEnv, type TestEnv, writeCsv } from './import.test-support.ts';

const HEADER = [
  'cif',
  'name',
  'gender',
  'birth_date',
  'id_number',
  'mobile',
  'province',
  'city',
  'occupation',
  'onboarded_at',
  'home_branch',
  'address',
];

function customerCsvRow(i: number): string[] {
  const c = customerFixture(i);
  return [
    c.cif,
    c.name,
    c.gender === 'M' ? '男' : '女',
    c.birthDate,
    c.idNumber,
    c.mobile,
    '浙江省',
    i % 3 === 0 ? '杭州市' : '湖州市',
    'engineer',
    '20200115',
    i % 2 === 0 ? 'BR001' : '',
    // row 10 carries a quoted address spanning two physical lines
    i === 10 ? '浙江省杭州市\n西湖区文三路 1 号' : '',
  ];
}

async function count(env: TestEnv, sql: string): Promise<number> {
  const r = await env.op.query<{ n: number }>(sql);
  return r.rows[0]?.n ?? -1;
}

describe('runImport: core-banking customers (acceptance)', () => {
  let env: TestEnv;
  let file: string;
  beforeAll(async () => {
    env = await openTestEnv();
    const rows = Array.from({ length: 1000 }, (_, i) => customerCsvRow(i));
    // exactly three malformed rows
    (rows[100] as string[])[3] = '1990-13-45'; // bad date
    const bad = customerFixture(500).idNumber;
    (rows[500] as string[])[4] = bad.slice(0, 17) + (bad.endsWith('0') ? '1' : '0'); // bad GB 11643 check character
    (rows[900] as string[])[1] = ''; // missing required name
    file = join(env.dir, 'customers_20260101.csv');
    writeCsv(file, HEADER, rows);
  });
  afterAll(async () => env.dispose());

  it('loads 997 rows and quarantines 3 with physical line numbers and clear reasons', async () => {
    const report = await runImport(env, env.cipher, { source: 'core_banking_customers', file });
    expect(report.status).toBe('completed');
    expect(report.rowsTotal).toBe(1000);
    expect(report.rowsLoaded).toBe(997);
    expect(report.rowsDuplicate).toBe(0);
    expect(report.rowsQuarantined).toBe(3);
    // data row i sits on line i + 2 (header = line 1), one more after row 10's two-line address
    expect(report.quarantineSample).toEqual([
      {
        line: 103,
        field: 'birth_date',
        reason: "birth_date: not a date (expected YYYY-MM-DD or YYYYMMDD): '1990-13-45'",
      },
      {
        line: 503,
        field: 'id_number',
        reason: expect.stringMatching(/^id_number: fails the GB 11643 check character \(MOD 11-2\)/),
      },
      { line: 903, field: 'name', reason: 'name: required field is missing or empty' },
    ]);
    // the reason never carries the ID number itself
    expect(report.quarantineSample[1]?.reason).not.toContain(customerFixture(500).idNumber.slice(0, 17));

    expect(await count(env, 'SELECT count(*)::int AS n FROM customers')).toBe(997);
    expect(await count(env, "SELECT count(*)::int AS n FROM source_records WHERE source_system = 'core_banking'")).toBe(
      997,
    );
    expect(await count(env, 'SELECT count(DISTINCT id)::int AS n FROM customers')).toBe(997);
    expect(await count(env, 'SELECT max(id)::int AS n FROM customers')).toBe(997);

    const q = await env.op.query<{ line: number; field: string; raw_enc: Uint8Array; file_name: string }>(
      'SELECT line, field, raw_enc, file_name FROM import_quarantine WHERE run_id = $1 ORDER BY line',
      [report.runId],
    );
    expect(q.rows.map((r) => [r.line, r.field])).toEqual([
      [103, 'birth_date'],
      [503, 'id_number'],
      [903, 'name'],
    ]);
    expect(q.rows[0]?.file_name).toBe('customers_20260101.csv');
    const raw = JSON.parse(env.cipher.decrypt(q.rows[0]?.raw_enc as Uint8Array)) as Record<string, string>;
    expect(raw.cif).toBe(customerFixture(100).cif);
    expect(raw.birth_date).toBe('1990-13-45');

    const runs = await recentImportRuns(env);
    expect(runs[0]).toMatchObject({
      id: report.runId,
      status: 'completed',
      rowsTotal: 1000,
      rowsLoaded: 997,
      rowsQuarantined: 3,
    });
  });

  it('stores C2 fields encrypted with keyed hashes and masks, and derives the city tier', async () => {
    const c = customerFixture(3);
    const r = await env.op.query<{
      name_enc: Uint8Array;
      name_hash: string;
      name_masked: string;
      id_number_enc: Uint8Array;
      id_number_hash: string;
      mobile_masked: string;
      gender: string;
      birth_date: string | Date;
      city_tier: number;
      home_branch_id: string | null;
      onboarded_at: string | Date;
    }>(
      `SELECT name_enc, name_hash, name_masked, id_number_enc, id_number_hash, mobile_masked, gender, birth_date::text AS birth_date,
              city_tier, home_branch_id, onboarded_at::text AS onboarded_at FROM customers WHERE cif = $1`,
      [c.cif],
    );
    const row = r.rows[0];
    expect(row).toBeDefined();
    if (!row) return;
    expect(env.cipher.decrypt(row.name_enc)).toBe(c.name);
    expect(row.name_hash).toBe(env.cipher.hash(c.name));
    expect(row.name_masked).toBe(`${c.name[0]}*`);
    expect(env.cipher.decrypt(row.id_number_enc)).toBe(c.idNumber);
    expect(row.id_number_hash).toBe(env.cipher.hash(c.idNumber));
    expect(row.mobile_masked).toBe(`${c.mobile.slice(0, 3)}****${c.mobile.slice(7)}`);
    expect(row.gender).toBe('F');
    expect(row.birth_date).toBe(c.birthDate);
    expect(row.city_tier).toBe(2); // 杭州
    expect(row.home_branch_id).toBeNull();
    expect(row.onboarded_at).toBe('2020-01-15');
    // the source record carries the PII attributes encrypted (incl. the multi-line address of row 10)
    const sr = await env.op.query<{ attrs_enc: Uint8Array }>(
      "SELECT attrs_enc FROM source_records WHERE source_system = 'core_banking' AND source_key = $1",
      [customerFixture(10).cif],
    );
    const attrs = JSON.parse(env.cipher.decrypt(sr.rows[0]?.attrs_enc as Uint8Array)) as Record<string, string>;
    expect(attrs.address).toBe('浙江省杭州市\n西湖区文三路 1 号');
    expect(attrs.id_number).toBe(customerFixture(10).idNumber);
  });

  it('a second import of the same file is skipped, and so is a copy under another name', async () => {
    const first = (await recentImportRuns(env))[0];
    const again = await runImport(env, env.cipher, { source: 'core_banking_customers', file });
    expect(again.status).toBe('skipped');
    expect(again.runId).toBe(first?.id);
    expect(again.rowsLoaded).toBe(0);
    const copy = join(env.dir, 'customers_copy.csv');
    copyFileSync(file, copy);
    const third = await runImport(env, env.cipher, { source: 'core_banking_customers', file: copy });
    expect(third.status).toBe('skipped');
    expect(third.runId).toBe(first?.id);
    expect(await count(env, 'SELECT count(*)::int AS n FROM customers')).toBe(997);
    const runs = await recentImportRuns(env);
    expect(runs.filter((r) => r.status === 'skipped')).toHaveLength(2);
  });

  it('rows are idempotent by natural key: an overlapping file adds only the new rows', async () => {
    const overlap = join(env.dir, 'customers_overlap.csv');
    writeCsv(
      overlap,
      HEADER,
      Array.from({ length: 20 }, (_, i) => customerCsvRow(990 + i)),
    );
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: overlap });
    expect(r.status).toBe('completed');
    expect(r).toMatchObject({ rowsTotal: 20, rowsLoaded: 10, rowsDuplicate: 10, rowsQuarantined: 0 });
    expect(await count(env, 'SELECT count(*)::int AS n FROM customers')).toBe(1007);
    // forcing a re-run of the same content re-processes it but still adds nothing
    const forced = await runImport(env, env.cipher, { source: 'core_banking_customers', file: overlap, force: true });
    expect(forced).toMatchObject({ status: 'completed', rowsLoaded: 0, rowsDuplicate: 20 });
    expect(await count(env, 'SELECT count(*)::int AS n FROM customers')).toBe(1007);
  });

  it('quarantines a row whose home branch does not exist', async () => {
    const f = join(env.dir, 'customers_branch.csv');
    const row = customerCsvRow(2000);
    row[10] = 'BR999';
    writeCsv(f, HEADER, [row]);
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f });
    expect(r.quarantineSample).toEqual([
      { line: 2, field: 'home_branch', reason: "home_branch: unknown branch 'BR999' (not in branches)" },
    ]);
    const q = await quarantinedRows(env, r.runId);
    expect(q?.total).toBe(1);
    expect(q?.items[0]).toMatchObject({ line: 2, field: 'home_branch' });
    expect(q?.items[0]?.raw).toBeUndefined();
    const revealed = await quarantinedRows(env, r.runId, { reveal: env.cipher });
    expect(revealed?.items[0]?.raw).toContain('BR999');
  });
});

describe('runImport: C3 columns are refused (rule P8)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await openTestEnv();
  });
  afterAll(async () => env.dispose());

  for (const column of ['cvv', 'password', 'Card_Expiry', '交易密码']) {
    it(`refuses a file with a '${column}' column and loads nothing`, async () => {
      const f = join(env.dir, `refused_${column}.csv`);
      const row = customerCsvRow(1);
      writeCsv(f, [...HEADER, column], [[...row, '123']]);
      const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f });
      expect(r.status).toBe('refused');
      expect(r.error).toContain(`'${column}'`);
      expect(r.error).toContain('P8');
      expect(r.rowsLoaded).toBe(0);
      expect(await count(env, 'SELECT count(*)::int AS n FROM customers')).toBe(0);
      expect(await count(env, 'SELECT count(*)::int AS n FROM source_records')).toBe(0);
      const run = (await recentImportRuns(env)).find((x) => x.id === r.runId);
      expect(run?.status).toBe('refused');
    });
  }

  it('refuses a JSON Lines file where only a late line carries a C3 key', async () => {
    const f = join(env.dir, 'events_pin.jsonl');
    const lines = [
      JSON.stringify({ event_id: 1, cif: 'X', ts: '2026-01-01T00:00:00Z', event_type: 'login' }),
      JSON.stringify({ event_id: 2, cif: 'X', ts: '2026-01-01T00:00:00Z', event_type: 'login', pin: '1234' }),
    ];
    writeFileSync(f, `${lines.join('\n')}\n`);
    const r = await runImport(env, env.cipher, { source: 'app_events', file: f });
    expect(r.status).toBe('refused');
    expect(r.error).toContain("'pin'");
  });
});

describe('runImport: mapping files', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await openTestEnv();
  });
  afterAll(async () => env.dispose());

  it('maps Chinese column headers, value maps, date formats and defaults', async () => {
    const mapping = join(env.dir, 'cust.yaml');
    writeFileSync(
      mapping,
      [
        'source: core_banking_customers',
        'schemaVersion: 1',
        'fields:',
        '  cif: 客户号',
        '  name: 姓名',
        '  gender: { column: 性别, values: { 男性: M, 女性: F } }',
        '  birth_date: { column: 出生日期, dateFormat: YYYYMMDD }',
        '  id_number: 证件号码',
        '  mobile: 手机号',
        '  province: { default: 浙江省 }',
        '  city: 城市',
        '  occupation: { column: 职业, default: unknown }',
        '  monthly_income: { column: 月收入, unit: yuan }',
      ].join('\n'),
    );
    const f = join(env.dir, 'khxx.csv');
    const a = customerFixture(1);
    const b = customerFixture(2);
    writeCsv(
      f,
      ['客户号', '姓名', '性别', '出生日期', '证件号码', '手机号', '城市', '职业', '月收入', '证件有效期'],
      [
        [
          a.cif,
          a.name,
          '女性',
          a.birthDate.replaceAll('-', ''),
          a.idNumber,
          a.mobile,
          '北京市',
          '',
          '12,345.67',
          '2030-01-01',
        ],
        [b.cif, b.name, '男性', b.birthDate, b.idNumber, b.mobile, '温州市', '教师', '8000', ''],
      ],
    );
    const r = await runImport(env, env.cipher, {
      source: 'core_banking_customers',
      file: f,
      mappingFile: mapping,
    });
    expect(r.status).toBe('completed');
    expect(r.ignoredColumns).toEqual(['证件有效期']);
    expect(r.rowsLoaded).toBe(1);
    // row 2's birth date is not in the mapped YYYYMMDD format
    expect(r.quarantineSample).toEqual([
      { line: 3, field: 'birth_date', reason: `birth_date: not a date (expected YYYYMMDD): '${b.birthDate}'` },
    ]);
    const row = (
      await env.op.query<{
        gender: string;
        birth_date: string;
        province: string;
        city_tier: number;
        occupation: string;
        monthly_income_fen: string;
      }>(
        'SELECT gender, birth_date::text AS birth_date, province, city_tier, occupation, monthly_income_fen::text AS monthly_income_fen FROM customers WHERE cif = $1',
        [a.cif],
      )
    ).rows[0];
    expect(row).toEqual({
      gender: 'F',
      birth_date: a.birthDate,
      province: '浙江省',
      city_tier: 1,
      occupation: 'unknown',
      monthly_income_fen: '1234567',
    });
  });

  it('reads GB18030-encoded files when the mapping says so', async () => {
    const c = customerFixture(7);
    const mapping = join(env.dir, 'gbk.yaml');
    writeFileSync(mapping, 'source: core_banking_customers\nencoding: gb18030\nfields:\n  name: 姓名\n');
    const f = join(env.dir, 'gbk.csv');
    // 姓名 = D0 D5 C3 FB, 张三 = D5 C5 C8 FD in GB18030
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from('cif,'),
        Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]),
        Buffer.from(',gender,birth_date,id_number,province,city\n'),
        Buffer.from(`${c.cif},`),
        Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
        Buffer.from(`,${c.gender},${c.birthDate},${c.idNumber},p,c\n`),
      ]),
    );
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f, mappingFile: mapping });
    expect(r).toMatchObject({ status: 'completed', rowsLoaded: 1 });
    const row = (await env.op.query<{ name_enc: Uint8Array }>('SELECT name_enc FROM customers WHERE cif = $1', [c.cif]))
      .rows[0];
    expect(env.cipher.decrypt(row?.name_enc as Uint8Array)).toBe('张三');
  });

  it('fails the run (nothing loaded) when a mapped column is not in the file', async () => {
    const mapping = join(env.dir, 'bad.json');
    writeFileSync(mapping, JSON.stringify({ source: 'core_banking_customers', fields: { name: '客户名称' } }));
    const f = join(env.dir, 'nomatch.csv');
    writeCsv(f, HEADER, [customerCsvRow(5)]);
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f, mappingFile: mapping });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^mapping\.fields\.name\.column: column '客户名称' is not in the file/);
  });

  it('rejects an invalid mapping document naming the path', async () => {
    const mapping = join(env.dir, 'invalid.yaml');
    writeFileSync(mapping, 'source: core_banking_customers\nfields:\n  birth_date: { dateFormat: DD/MM/YYYY }\n');
    const f = join(env.dir, 'x.csv');
    writeCsv(f, HEADER, [customerCsvRow(5)]);
    await expect(
      runImport(env, env.cipher, { source: 'core_banking_customers', file: f, mappingFile: mapping }),
    ).rejects.toThrow(/mapping\.fields\.birth_date/);
  });

  it('fails when a required field has no column', async () => {
    const f = join(env.dir, 'noname.csv');
    writeCsv(f, ['cif', 'gender'], [['C1', 'M']]);
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f });
    expect(r.status).toBe('failed');
    expect(r.error).toContain("name: required field has no column (looked for 'name')");
  });
});

describe('runImport: accounts, transactions and app events', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await openTestEnv();
    const f = join(env.dir, 'c.csv');
    writeCsv(
      f,
      HEADER,
      Array.from({ length: 5 }, (_, i) => customerCsvRow(i)),
    );
    const r = await runImport(env, env.cipher, { source: 'core_banking_customers', file: f });
    expect(r.rowsLoaded).toBe(5);
  });
  afterAll(async () => env.dispose());

  it('loads accounts with hashed/masked numbers; unknown cif quarantined', async () => {
    const f = join(env.dir, 'accounts.csv');
    writeCsv(
      f,
      ['account_id', 'cif', 'account_no', 'kind', 'branch', 'opened_at', 'balance', 'status'],
      [
        ['9001', customerFixture(0).cif, '6222 0212 3456 7890 123', '活期', 'BR001', '2020-01-15', '1,000.50', '正常'],
        ['9002', customerFixture(1).cif, '6222021234567890124', 'savings', '', '2021-02-01', '0', 'open'],
        ['9003', 'CIF_NOPE', '6222021234567890125', 'savings', '', '2021-02-01', '0', 'open'],
      ],
    );
    const r = await runImport(env, env.cipher, { source: 'core_banking_accounts', file: f });
    expect(r).toMatchObject({ status: 'completed', rowsLoaded: 2, rowsQuarantined: 1 });
    expect(r.quarantineSample[0]).toEqual({
      line: 4,
      field: 'cif',
      reason: "cif: unknown customer 'CIF_NOPE' (import the customer first)",
    });
    const a = (
      await env.op.query<{
        customer_id: string;
        account_no_masked: string;
        account_no_hash: string;
        balance_fen: string;
        kind: string;
      }>(
        'SELECT customer_id::text AS customer_id, account_no_masked, account_no_hash, balance_fen::text AS balance_fen, kind FROM accounts WHERE id = 9001',
      )
    ).rows[0];
    expect(a).toEqual({
      customer_id: '1',
      account_no_masked: '622202*********0123',
      account_no_hash: env.cipher.hash('6222021234567890123'),
      balance_fen: '100050',
      kind: 'current',
    });
  });

  it('loads transactions into analytics; unknown cif quarantined; natural-key idempotent', async () => {
    const f = join(env.dir, 'txns.csv');
    const c0 = customerFixture(0).cif;
    const c1 = customerFixture(1).cif;
    writeCsv(
      f,
      [
        'txn_id',
        'cif',
        'account_id',
        'ts',
        'amount',
        'direction',
        'channel',
        'txn_type',
        'merchant_category',
        'cross_border',
      ],
      [
        ['1', c0, '9001', '2026-01-02 10:00:00', '12.34', 'out', 'pos', 'purchase', 'dining', '0'],
        ['2', c0, '9001', '2026-01-03T08:00:00+08:00', '100', '贷', 'counter', 'salary', '', 'N'],
        ['3', 'CIF_UNKNOWN', '0', '2026-01-03 09:00:00', '5.00', 'out', 'pos', 'purchase', 'retail', '0'],
        ['4', c1, '', '20260104120000', '0.5', '借', 'online', 'purchase', 'travel', '是'],
        ['5', c1, '', '2026-01-05 12:00:00', '1.234', 'out', 'online', 'purchase', 'travel', '0'],
        ['1', c0, '9001', '2026-01-02 10:00:00', '12.34', 'out', 'pos', 'purchase', 'dining', '0'],
      ],
    );
    const r = await runImport(env, env.cipher, { source: 'transactions', file: f });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ status: 'completed', rowsTotal: 6, rowsLoaded: 3, rowsDuplicate: 1, rowsQuarantined: 2 });
    expect(r.quarantineSample).toEqual([
      { line: 4, field: 'cif', reason: "cif: unknown customer 'CIF_UNKNOWN' (import the customer first)" },
      { line: 6, field: 'amount', reason: "amount: more than 2 decimal places of yuan: '1.234'" },
    ]);
    const rows = await env.an.query<{
      txn_id: string;
      customer_id: number;
      ts: string;
      amount_fen: string;
      direction: string;
      cross_border: number;
      import_run_id: string;
    }>(
      `SELECT toString(txn_id) AS txn_id, customer_id, toString(ts) AS ts, toString(amount_fen) AS amount_fen, direction,
              cross_border, import_run_id FROM transactions ORDER BY txn_id`,
    );
    expect(rows).toEqual([
      {
        txn_id: '1',
        customer_id: 1,
        ts: '2026-01-02 02:00:00.000',
        amount_fen: '1234',
        direction: 'out',
        cross_border: 0,
        import_run_id: r.runId,
      },
      {
        txn_id: '2',
        customer_id: 1,
        ts: '2026-01-03 00:00:00.000',
        amount_fen: '10000',
        direction: 'in',
        cross_border: 0,
        import_run_id: r.runId,
      },
      {
        txn_id: '4',
        customer_id: 2,
        ts: '2026-01-04 04:00:00.000',
        amount_fen: '50',
        direction: 'out',
        cross_border: 1,
        import_run_id: r.runId,
      },
    ]);
    // a different file overlapping on txn_id adds only the new transaction
    const g = join(env.dir, 'txns2.csv');
    writeCsv(
      g,
      ['txn_id', 'cif', 'ts', 'amount_fen', 'direction', 'channel', 'txn_type'],
      [
        ['2', c0, '2026-01-03 08:00:00', '10000', 'in', 'counter', 'salary'],
        ['6', c0, '2026-01-06 08:00:00', '999', 'out', 'atm', 'withdrawal'],
      ],
    );
    const r2 = await runImport(env, env.cipher, { source: 'transactions', file: g });
    expect(r2).toMatchObject({ status: 'completed', rowsLoaded: 1, rowsDuplicate: 1 });
    const n = await env.an.query<{ n: number }>('SELECT toUInt32(count()) AS n FROM transactions');
    expect(n[0]?.n).toBe(4);
  });

  it('imports app events from JSON Lines (physical line numbers, invalid JSON quarantined, big ids exact)', async () => {
    const f = join(env.dir, 'events.jsonl');
    const c2 = customerFixture(2).cif;
    writeFileSync(
      f,
      [
        JSON.stringify({ event_id: 11, cif: c2, ts: '2026-02-01T01:02:03.456Z', event_type: 'login', duration_s: 30 }),
        '',
        '{"event_id": 12, "cif": "broken"',
        JSON.stringify({
          event_id: 13,
          customer_id: 3,
          ts: '2026-02-01 09:00:00',
          event_type: 'view_product',
          product_id: 'W001',
          product_family: 'wealth',
        }),
        `{"event_id": 9007199254740993, "cif": "${c2}", "ts": "2026-02-02T00:00:00Z", "event_type": "search", "page": "tab\\tpage"}`,
        JSON.stringify({ event_id: 15, cif: c2, ts: 'yesterday', event_type: 'login' }),
      ].join('\n'),
    );
    const r = await runImport(env, env.cipher, { source: 'app_events', file: f });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ status: 'completed', format: 'jsonl', rowsTotal: 5, rowsLoaded: 3, rowsQuarantined: 2 });
    expect(r.quarantineSample.map((q) => [q.line, q.field])).toEqual([
      [3, null],
      [6, 'ts'],
    ]);
    expect(r.quarantineSample[0]?.reason).toMatch(/^row: not valid JSON/);
    expect(r.quarantineSample[1]?.reason).toMatch(/^ts: not a timestamp .*'yesterday'$/);
    const rows = await env.an.query<{ id: string; customer_id: number; ts: string; page: string; duration_s: number }>(
      'SELECT toString(event_id) AS id, customer_id, toString(ts) AS ts, page, duration_s FROM app_events ORDER BY event_id',
    );
    expect(rows).toEqual([
      { id: '11', customer_id: 3, ts: '2026-02-01 01:02:03.456', page: '', duration_s: 30 },
      { id: '13', customer_id: 3, ts: '2026-02-01 01:00:00.000', page: '', duration_s: 0 },
      { id: '9007199254740993', customer_id: 3, ts: '2026-02-02 00:00:00.000', page: 'tab\tpage', duration_s: 0 },
    ]);
  });

  it('imports transactions from Parquet (written by chDB), row numbers as lines', async () => {
    const f = join(env.dir, 'txns.parquet');
    const c3 = customerFixture(3).cif;
    await env.an.command(
      `SELECT toUInt64(100 + number) AS txn_id,
              if(number = 2, 'CIF_UNKNOWN', {cif:String}) AS cif,
              toDateTime64('2026-03-01 00:00:00', 3, 'UTC') + toIntervalHour(number) AS ts,
              toDecimal64(12.5 + number, 2) AS amount,
              'out' AS direction, 'pos' AS channel, 'purchase' AS txn_type, 'dining' AS merchant_category,
              number = 1 AS cross_border
         FROM numbers(4)
         INTO OUTFILE '${f}' TRUNCATE FORMAT Parquet
         SETTINGS output_format_parquet_compression_method = 'snappy', output_format_parquet_row_group_size = 2`,
      { cif: c3 },
    );
    const r = await runImport(env, env.cipher, { source: 'transactions', file: f });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({
      status: 'completed',
      format: 'parquet',
      rowsTotal: 4,
      rowsLoaded: 3,
      rowsQuarantined: 1,
    });
    expect(r.quarantineSample[0]).toMatchObject({ line: 3, field: 'cif' });
    const rows = await env.an.query<{ id: string; amount_fen: string; ts: string; cross_border: number }>(
      `SELECT toString(txn_id) AS id, toString(amount_fen) AS amount_fen, toString(ts) AS ts, cross_border
         FROM transactions WHERE txn_id >= 100 ORDER BY txn_id`,
    );
    expect(rows).toEqual([
      { id: '100', amount_fen: '1250', ts: '2026-03-01 00:00:00.000', cross_border: 0 },
      { id: '101', amount_fen: '1350', ts: '2026-03-01 01:00:00.000', cross_border: 1 },
      { id: '103', amount_fen: '1550', ts: '2026-03-01 03:00:00.000', cross_border: 0 },
    ]);
  });

  it('quarantines rows with the wrong number of CSV fields', async () => {
    const f = join(env.dir, 'short.csv');
    // CRLF line ends and a blank line before the row: the row starts on physical line 3
    writeFileSync(f, 'txn_id,cif,ts,amount,direction,channel,txn_type\r\n\r\n200,X,2026-01-01,1\r\n');
    const r = await runImport(env, env.cipher, { source: 'transactions', file: f });
    expect(r.quarantineSample).toEqual([{ line: 3, field: null, reason: 'row: row has 4 fields, the header has 7' }]);
  });
});

describe('docs/import example mapping files', () => {
  const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../../../docs/import');
  const examples = readdirSync(docs).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('covers every source', () => {
    expect(examples.map((f) => loadMappingFile(join(docs, f)).source).sort()).toEqual([...SOURCE_NAMES].sort());
  });

  for (const file of examples) {
    it(`${file} is valid and binds to a file with its columns`, () => {
      const mapping = loadMappingFile(join(docs, file));
      const columns = Object.values(mapping.fields)
        .map((v) => (typeof v === 'string' ? v : v.column))
        .filter((c): c is string => c !== undefined);
      const compiled = compileSource(mapping.source, columns, mapping);
      expect(compiled.ignoredColumns).toEqual([]);
    });
  }
});
