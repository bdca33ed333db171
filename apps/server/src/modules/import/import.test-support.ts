/** Fixtures shared by the import tests: stores, valid resident IDs, CSV writing. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeCheckChar } from '@lingxi/core/identity/resident-id';
import { openTempAnalytics } from '../../../test/support/stores.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import { migrateOperational } from '../../db/migrate.ts';
import { type OperationalDb, openMemoryOperationalDb } from '../../db/operational.ts';
import { createPiiCipher, type PiiCipher } from '../../security/crypto.ts';

export interface TestEnv {
  op: OperationalDb;
  an: AnalyticsDb;
  cipher: PiiCipher;
  dir: string;
  dispose(): Promise<void>;
}

export async function openTestEnv(): Promise<TestEnv> {
  const op = await openMemoryOperationalDb();
  await migrateOperational(op);
  const analytics = await openTempAnalytics();
  const dir = mkdtempSync(join(tmpdir(), 'lingxi-import-'));
  await op.query(
    `INSERT INTO branches (id, name_zh, name_en, province, city) VALUES
       ('BR001', '杭州分行', 'Hangzhou branch', '浙江省', '杭州市'), ('BR002', '宁波分行', 'Ningbo branch', '浙江省', '宁波市')`,
  );
  return {
    op,
    an: analytics.an,
    cipher: createPiiCipher(Buffer.alloc(32, 7)),
    dir,
    async dispose() {
      await op.close();
      await analytics.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const REGIONS = ['110101', '310104', '330106', '440305', '510107', '420106'];

/** A valid 18-character resident ID for a birth date (YYYY-MM-DD), deterministic in `n`. */
export function residentId(n: number, birthDate: string, male: boolean): string {
  const region = REGIONS[n % REGIONS.length] as string;
  const seq2 = String(n % 100).padStart(2, '0');
  const genderDigit = String(((n % 5) * 2 + (male ? 1 : 0)) % 10);
  const first17 = `${region}${birthDate.replaceAll('-', '')}${seq2}${genderDigit}`;
  return first17 + computeCheckChar(first17);
}

export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function writeCsv(path: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
  writeFileSync(path, `${text}\n`, 'utf8');
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];

export interface CustomerFixture {
  cif: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  mobile: string;
}

export function customerFixture(i: number): CustomerFixture {
  const male = i % 2 === 0;
  const y = 1950 + (i % 50);
  const m = String((i % 12) + 1).padStart(2, '0');
  const d = String((i % 28) + 1).padStart(2, '0');
  const birthDate = `${y}-${m}-${d}`;
  return {
    cif: `CIF${String(i).padStart(7, '0')}`,
    name: `${SURNAMES[i % 10]}${GIVEN[(i * 7) % 10]}${GIVEN[(i * 3) % 10]}`,
    gender: male ? 'M' : 'F',
    birthDate,
    idNumber: residentId(i, birthDate, male),
    mobile: `13${String(800000000 + i).padStart(9, '0')}`,
  };
}
