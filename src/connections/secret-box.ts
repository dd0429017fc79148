import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors/index.ts';

const FORMAT = 'v1';

/**
 * Authenticated encryption (AES-256-GCM) for secrets kept in the metadata DB. The key is derived
 * from DOWNBEAT_SECRET_KEY (any string); when that is unset, a random key is generated once into
 * DOWNBEAT_HOME/secret.key, readable by its owner only. A wrong key is an error, never garbage.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  static fromConfig(secret: string | undefined, home: string): SecretBox {
    if (secret) return new SecretBox(scryptSync(secret, 'downbeat-connections-v1', 32));
    const file = join(home, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return new SecretBox(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      sealed.toString('base64'),
    ].join(':');
  }

  /** Throws a ConfigError naming `what` when the text was sealed with another key or altered. */
  open(text: string, what: string): string {
    const [format, iv, tag, sealed] = text.split(':');
    if (format !== FORMAT || !iv || !tag || sealed === undefined)
      throw new ConfigError(`${what} is not in a format this version can read`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new ConfigError(
        `cannot decrypt ${what}: it was stored with another secret key (DOWNBEAT_SECRET_KEY, or DOWNBEAT_HOME/secret.key when unset)`,
      );
    }
  }
}

/** A URI with its secrets replaced by ***: the password, and query values that look like secrets. */
export function maskUri(uri: string): string {
  return uri
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@')
    .replace(/([?&][^=&]*(?:secret|password|token|key)[^=&]*=)[^&]*/gi, '$1***');
}
