import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CLI_MD, cliReference, REGENERATE } from '../../tools/cli-reference.ts';

describe('docs/cli.md', () => {
  it("is the usage and every command's --help, as tools/cli-reference.ts writes it", async () => {
    const expected = await cliReference();
    const written = await readFile(CLI_MD, 'utf8');
    expect(written, `docs/cli.md is out of date: run ${REGENERATE}`).toBe(expected);
  }, 180_000);
});
