import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The shortest secret accepted: 32 characters (`openssl rand -base64 32` gives 44). */
export const AUDIT_KEY_MIN_LENGTH = 32;

/** A seal is `<nonce>.<mac>`: 16 random bytes and an HMAC-SHA-256, both in hex. */
const SEAL = /^([0-9a-f]{32})\.([0-9a-f]{64})$/;

function equalHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/**
 * The secret that anchors the audit trail outside the database: it seals each entry (an HMAC of
 * its content under a fresh nonce) and signs the checkpoints of the trail's head. Never stored in
 * the database, never sent to it: whoever can write the database but does not hold the key can
 * neither forge an entry nor rewrite one and recompute the chain after it.
 */
export class AuditKey {
  /** A short fingerprint (SHA-256 of the key, 16 hex digits), written with each checkpoint. */
  readonly id: string;

  constructor(
    private readonly secret: Buffer,
    /** Where the key came from, for messages (never the key itself). */
    readonly source: string,
  ) {
    if (secret.length < AUDIT_KEY_MIN_LENGTH) {
      throw new Error(`The audit signing key from ${source} is too short: at least ${AUDIT_KEY_MIN_LENGTH} characters.`);
    }
    this.id = createHash('sha256').update(secret).digest('hex').slice(0, 16);
  }

  private mac(domain: string, text: string): string {
    return createHmac('sha256', this.secret).update(domain).update('\n').update(text).digest('hex');
  }

  /**
   * A key for another purpose, derived from this one (HMAC of the purpose): the secrets of
   * single-use links are made with it, so they too depend on a key the database never holds.
   */
  derive(purpose: string): Buffer {
    return createHmac('sha256', this.secret).update('collegia-derived-key-v1').update('\n').update(purpose).digest();
  }

  /** The seal of an entry whose canonical content is `content` (the text its hash covers). */
  seal(content: string): string {
    const nonce = randomBytes(16).toString('hex');
    return `${nonce}.${this.mac('collegia-audit-seal-v1', `${nonce}\n${content}`)}`;
  }

  /** Whether `seal` was made by this key for exactly `content`. */
  checkSeal(seal: string, content: string): boolean {
    const parts = SEAL.exec(seal);
    return parts !== null && equalHex(parts[2], this.mac('collegia-audit-seal-v1', `${parts[1]}\n${content}`));
  }

  /** The signature of a checkpoint's canonical text. */
  sign(text: string): string {
    return this.mac('collegia-audit-checkpoint-v1', text);
  }

  checkSignature(text: string, signature: string): boolean {
    return /^[0-9a-f]{64}$/.test(signature) && equalHex(signature, this.sign(text));
  }
}

/** A fresh random secret, as written to a new key file. */
export function newAuditSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads a key file; refuses one that others than its owner may read. */
export function readAuditKeyFile(file: string): AuditKey {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new Error(`The audit signing key file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (mode & 0o077) {
    throw new Error(`The audit signing key file ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it.`);
  }
  return new AuditKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'), file);
}

/**
 * The key file beside the data (`DATA_DIR/audit-key`): read when it exists, else created with a
 * new random secret, owner-only (0600). Created under a temporary name and linked into place, so
 * two processes starting at once (the server and a command) end up with the same key.
 */
export function openOrCreateAuditKeyFile(file: string): AuditKey {
  try {
    return readAuditKeyFile(file);
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${newAuditSecret()}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readAuditKeyFile(file);
}
