import { randomInt } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id (OWASP 2024 baseline: 19 MiB, 2 passes, 1 lane) and a policy of at least 12 characters
 * from at least three of four classes. Passwords are C3 data (rulebook P8): only the hash is stored, never logged.
 */

// `Algorithm` is an ambient const enum, which `verbatimModuleSyntax` forbids reading as a value: 2 is Argon2id
// (checked by the test, which parses the `$argon2id$` prefix of a produced hash).
const ARGON2ID = 2 as Algorithm;
const argonOptions = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
/** Upper bound so that hashing cost cannot be inflated by huge inputs. */
export const PASSWORD_MAX_LENGTH = 256;

export class PasswordPolicyError extends Error {
  override name = 'PasswordPolicyError';
}

const classes: { name: string; test: RegExp }[] = [
  { name: 'a lower-case letter', test: /\p{Ll}/u },
  { name: 'an upper-case letter', test: /\p{Lu}/u },
  { name: 'a digit', test: /\p{Nd}/u },
  { name: 'a symbol', test: /[^\p{Ll}\p{Lu}\p{Nd}\s]/u },
];

/** The policy's verdict: an empty list when acceptable, else every reason it is not (in English, for the API). */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters (has ${length})`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const present = classes.filter((c) => c.test.test(password));
  if (present.length < 3) {
    const missing = classes.filter((c) => !present.includes(c)).map((c) => c.name);
    problems.push(`must mix at least 3 of: lower-case, upper-case, digits, symbols (missing ${missing.join(', ')})`);
  }
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('must not contain the username');
  }
  if (/^(.)\1+$/u.test(password)) problems.push('must not repeat one character');
  return problems;
}

/** Throws a PasswordPolicyError naming every problem. */
export function assertPasswordPolicy(password: string, username?: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw new PasswordPolicyError(`password ${problems.join('; ')}`);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. With no hash (unknown user, user without a password) it verifies against
 * a fixed dummy hash with the same parameters and returns false, so that the response time does not reveal whether
 * the account exists.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH * 4) password = password.slice(0, PASSWORD_MAX_LENGTH * 4);
  if (!storedHash) {
    dummyHash ??= hash(generatePassword(), argonOptions);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

const alphabets = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  symbol: '!#%+-=?@^_~',
};

/** A random password (default 20 characters, ~120 bits) with every class present and no look-alike characters. */
export function generatePassword(length = 20): string {
  if (length < PASSWORD_MIN_LENGTH)
    throw new Error(`generated passwords have at least ${PASSWORD_MIN_LENGTH} characters`);
  const all = Object.values(alphabets).join('');
  const pick = (s: string) => s.charAt(randomInt(s.length));
  const chars = [pick(alphabets.lower), pick(alphabets.upper), pick(alphabets.digit), pick(alphabets.symbol)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates shuffle so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
