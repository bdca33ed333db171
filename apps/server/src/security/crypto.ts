import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Field-level protection of C2 personal data (rulebook P8): AES-256-GCM ciphertext at rest, and a keyed HMAC-SHA-256
 * for exact-match lookups without decrypting. Both keys are derived (HKDF) from one 256-bit master key.
 * Ciphertext layout: version byte (1) | 12-byte IV | 16-byte tag | ciphertext.
 */
export interface PiiCipher {
  encrypt(plain: string): Buffer;
  decrypt(blob: Uint8Array): string;
  /** Deterministic keyed hash of a normalised value (lookups, dedup). Hex, 64 chars. */
  hash(value: string): string;
}

const VERSION = 1;

export function createPiiCipher(masterKey: Buffer): PiiCipher {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'lingxi/pii/aes-256-gcm', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'lingxi/pii/hmac-sha256', 32));
  return {
    encrypt(plain: string): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(blob: Uint8Array): string {
      const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
      if (buf.length < 29 || buf[0] !== VERSION) throw new Error('not a Lingxi PII ciphertext');
      const decipher = createDecipheriv('aes-256-gcm', encKey, buf.subarray(1, 13));
      decipher.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]).toString('utf8');
    },
    hash(value: string): string {
      return createHmac('sha256', macKey).update(value, 'utf8').digest('hex');
    },
  };
}

/**
 * The master key: `LINGXI_MASTER_KEY` (required in production), else — for the embedded demo — a key generated once
 * into `<dataDir>/master.key` with 0600 permissions.
 */
export function loadMasterKey(opts: { masterKey?: string | undefined; dataDir: string }): Buffer {
  if (opts.masterKey) return Buffer.from(opts.masterKey, 'hex');
  const file = join(opts.dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file}: not a 256-bit hex key`);
  return Buffer.from(hex, 'hex');
}
