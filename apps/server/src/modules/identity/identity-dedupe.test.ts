import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerIdentityCommands } from './identity.cli.ts';
import { parseRoleMap, runDedupe } from './identity-dedupe.ts';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const febrl = resolve(repoRoot, '../shared/data/febrl');
const haveFebrl = existsSync(join(febrl, 'dataset1.csv')) && existsSync(join(febrl, 'dataset2.csv'));
if (!haveFebrl) {
  console.warn(`FEBRL acceptance tests skipped: ${febrl} not found (see /work/shared/data/febrl/PROVENANCE.md)`);
}

const FEBRL_MAP =
  'given_name=given_name,surname=surname,street_number=street_number,address_1=street,address_2=address_extra,' +
  'suburb=suburb,postcode=postcode,state=state,date_of_birth=birth_date,soc_sec_id=national_id';

const quiet = () => undefined;

describe.skipIf(!haveFebrl)('FEBRL acceptance (pairwise F1 ≥ 0.99 at the default threshold)', () => {
  for (const name of ['dataset1', 'dataset2']) {
    it(`deduplicates ${name}`, async () => {
      const report = await runDedupe({
        csv: join(febrl, `${name}.csv`),
        map: FEBRL_MAP,
        truth: join(febrl, `${name}_true_links.csv`),
        log: quiet,
      });
      const atDefault = report.evaluation?.[0];
      expect(atDefault?.threshold).toBe(0.9);
      expect(atDefault?.f1).toBeGreaterThanOrEqual(0.99);
      expect(atDefault?.precision).toBeGreaterThanOrEqual(0.99);
      expect(atDefault?.recall).toBeGreaterThanOrEqual(0.99);
      expect(report.evaluation).toHaveLength(3);
      expect(report.reductionRatio).toBeGreaterThan(0.99);
      // soc_sec_id is not a GB 11643 number: nothing is linked deterministically.
      expect(report.deterministic.linkedRecords).toBe(0);
    });
  }
});

describe('runDedupe input errors', () => {
  async function tmpCsv(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'lingxi-identity-'));
    const file = join(dir, 'people.csv');
    await writeFile(file, text);
    return file;
  }

  it('names the bad column or role', () => {
    const header = ['id', 'name', 'dob'];
    expect(() => parseRoleMap('name=full_name,dob=birthday', header)).toThrow(
      /role "birthday" \(column "dob"\) is unknown/,
    );
    expect(() => parseRoleMap('nom=full_name', header)).toThrow(/column "nom" is not in the CSV header/);
    expect(() => parseRoleMap('name=full_name,dob=full_name', header)).toThrow(/role "full_name" is mapped twice/);
    expect(() => parseRoleMap('name', header)).toThrow(/must look like column=role/);
    expect(parseRoleMap(' name=full_name , dob=birth_date', header)).toEqual(
      new Map([
        ['name', 'full_name'],
        ['dob', 'birth_date'],
      ]),
    );
  });

  it('keeps leading zeros, trims spaces after commas and rejects unknown truth ids', async () => {
    const file = await tmpCsv(
      'id, name, dob, postcode\n1, 张伟, 19800101, 010020\n2, 章伟, 19800101, 010020\n3, 李娜, 19900307, 200001\n',
    );
    const report = await runDedupe({ csv: file, map: 'name=full_name,dob=birth_date,postcode=postcode', log: quiet });
    expect(report.records).toBe(3);
    expect(report.entities).toBe(2);
    const truth = await tmpCsv('a,b\n1,9\n');
    await expect(runDedupe({ csv: file, map: 'name=full_name,dob=birth_date', truth, log: quiet })).rejects.toThrow(
      /line 2: id "9" is not a record id/,
    );
    await expect(runDedupe({ csv: file, map: 'name=full_name', idCol: 'nope', log: quiet })).rejects.toThrow(
      /--id-col: column "nope"/,
    );
    await expect(runDedupe({ csv: file, map: 'name=full_name', threshold: 2, log: quiet })).rejects.toThrow(
      /threshold/,
    );
    await expect(runDedupe({ csv: join(file, 'missing.csv'), map: 'a=full_name', log: quiet })).rejects.toThrow(
      /--csv: cannot read/,
    );
  });
});

describe('identity dedupe CLI', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
    return { out, err };
  }

  it.skipIf(!haveFebrl)('--json prints exactly one JSON object on stdout, logs on stderr', async () => {
    const program = new Command().exitOverride();
    registerIdentityCommands(program);
    const { out, err } = capture();
    await program.parseAsync(
      [
        'identity',
        'dedupe',
        '--csv',
        join(febrl, 'dataset1.csv'),
        '--map',
        FEBRL_MAP,
        '--truth',
        join(febrl, 'dataset1_true_links.csv'),
        '--json',
      ],
      { from: 'user' },
    );
    vi.restoreAllMocks();
    expect(out).toHaveLength(1);
    const parsed = JSON.parse(out[0] ?? '') as { entities: number; evaluation: { f1: number }[] };
    expect(parsed.entities).toBe(500);
    expect(parsed.evaluation[0]?.f1).toBeGreaterThanOrEqual(0.99);
    expect(err.join('')).toMatch(/read 1000 records/);
    expect(process.exitCode).toBeUndefined();
  });

  it('fails with a non-zero exit code and a message naming the bad role', async () => {
    const program = new Command().exitOverride();
    registerIdentityCommands(program);
    const { out, err } = capture();
    await program.parseAsync(
      ['identity', 'dedupe', '--csv', join(febrl, 'dataset1.csv'), '--map', 'surname=last', '--json'],
      {
        from: 'user',
      },
    );
    vi.restoreAllMocks();
    expect(process.exitCode).toBe(1);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ ok: false });
    expect(err.join('')).toMatch(/role "last"|cannot read/);
  });
});
