import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, loadMasterKey } from './crypto.ts';

describe('PII cipher', () => {
  const cipher = createPiiCipher(Buffer.alloc(32, 7));

  it('round-trips and never stores the plaintext', () => {
    const blob = cipher.encrypt('13812345678');
    expect(blob.toString('utf8')).not.toContain('13812345678');
    expect(cipher.decrypt(blob)).toBe('13812345678');
    expect(cipher.encrypt('13812345678').equals(blob)).toBe(false);
  });

  it('detects tampering', () => {
    const blob = cipher.encrypt('张伟');
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1;
    expect(() => cipher.decrypt(blob)).toThrow();
  });

  it('hashes deterministically per key', () => {
    expect(cipher.hash('a')).toBe(cipher.hash('a'));
    expect(createPiiCipher(Buffer.alloc(32, 8)).hash('a')).not.toBe(cipher.hash('a'));
  });

  it('generates a demo key with 0600 permissions and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lingxi-key-'));
    const k1 = loadMasterKey({ dataDir: dir });
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ dataDir: dir }).equals(k1)).toBe(true);
  });
});
