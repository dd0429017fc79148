import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskUri, SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('seals and opens; a wrong key or an altered text is a clear error, never garbage', () => {
    const box = SecretBox.fromConfig('correct horse', '/nonexistent');
    const sealed = box.seal('postgres://etl:s3cret@db/warehouse');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, 'connection "wh"')).toBe('postgres://etl:s3cret@db/warehouse');
    expect(() => SecretBox.fromConfig('wrong', '/nonexistent').open(sealed, 'connection "wh"')).toThrow(
      /cannot decrypt connection "wh": it was stored with another secret key/,
    );
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(altered, 'connection "wh"')).toThrow(/cannot decrypt/);
  });

  it('generates a key file readable by its owner only when no secret key is set', async () => {
    const home = await mkdtemp(join(tmpdir(), 'downbeat-key-'));
    try {
      const sealed = SecretBox.fromConfig(undefined, home).seal('x');
      expect(((await stat(join(home, 'secret.key'))).mode & 0o777).toString(8)).toBe('600');
      expect(SecretBox.fromConfig(undefined, home).open(sealed, 'x')).toBe('x');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('masks passwords and secret-looking query values in URIs', () => {
    expect(maskUri('postgres://etl:s3cret@db:5432/warehouse')).toBe('postgres://etl:***@db:5432/warehouse');
    expect(maskUri('s3://bucket/prefix?region=us-west-2&aws_secret_access_key=abc&token=xyz')).toBe(
      's3://bucket/prefix?region=us-west-2&aws_secret_access_key=***&token=***',
    );
    expect(maskUri('file:///data/sparkify')).toBe('file:///data/sparkify');
  });
});
