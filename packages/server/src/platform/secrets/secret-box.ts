import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * AES-256-GCM envelope encryption. Each value gets its own data key; the data
 * key is sealed with the master key. The sealed form names the master key by
 * a short id, so the master key can be rotated later without guessing.
 *
 *   v1.<kid>.<iv>.<sealed data key + tag>.<data iv>.<ciphertext + tag>   (base64url parts)
 */
export class SecretBox {
  readonly keyId: string;
  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.keyId = createHash('sha256').update(masterKey).digest('base64url').slice(0, 8);
  }

  /** `context` (e.g. the secret's name) is bound as associated data: a sealed value moved elsewhere will not open. */
  seal(plaintext: string, context: string): string {
    const dataKey = randomBytes(32);
    const keyIv = randomBytes(12);
    const sealedKey = gcm('enc', this.masterKey, keyIv, dataKey, `key:${this.keyId}`);
    const dataIv = randomBytes(12);
    const body = gcm('enc', dataKey, dataIv, Buffer.from(plaintext, 'utf8'), context);
    dataKey.fill(0);
    return ['v1', this.keyId, keyIv, sealedKey, dataIv, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [version, kid, keyIv, sealedKey, dataIv, body] = parts;
    if (parts.length !== 6 || version !== 'v1' || !kid || !keyIv || !sealedKey || !dataIv || !body) throw new Error('not a sealed secret');
    if (kid !== this.keyId) throw new Error(`sealed with another master key (${kid})`);
    const b = (s: string): Buffer => Buffer.from(s, 'base64url');
    const dataKey = gcm('dec', this.masterKey, b(keyIv), b(sealedKey), `key:${this.keyId}`);
    try {
      return gcm('dec', dataKey, b(dataIv), b(body), context).toString('utf8');
    } finally {
      dataKey.fill(0);
    }
  }
}

function gcm(mode: 'enc' | 'dec', key: Buffer, iv: Buffer, input: Buffer, aad: string): Buffer {
  if (mode === 'enc') {
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(aad));
    return Buffer.concat([c.update(input), c.final(), c.getAuthTag()]);
  }
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(input.subarray(input.length - 16));
  return Buffer.concat([d.update(input.subarray(0, input.length - 16)), d.final()]);
}

/** The master key: OPSLINE_SECRET_KEY (hex or base64), else `<dataDir>/secret.key`, created 0600 on first start. */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return /^[0-9a-fA-F]{64}$/.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64url');
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
