import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src/dag/index.ts';
import { generateCommand } from './index.ts';

/** Streams that keep what is written to them. */
function captureIo(): CommandIo & { out: () => string; err: () => string } {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const stdout = sink();
  const stderr = sink();
  return { stdout: stdout.stream, stderr: stderr.stream, env: {}, out: stdout.text, err: stderr.text };
}

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('downbeat sparkify generate', () => {
  it('is named sparkify generate', () => {
    expect(generateCommand.name).toEqual(['sparkify', 'generate']);
  });

  it('prints help with every flag and its default, and exits 0', async () => {
    const io = captureIo();
    expect(await generateCommand.run(['--help'], io)).toBe(0);
    for (const flag of [
      '--out',
      '--start',
      '--end',
      '--users',
      '--songs',
      '--events-per-day',
      '--match-rate',
      '--faults',
      '--seed',
    ]) {
      expect(io.out()).toContain(flag);
    }
    for (const value of [
      '2018-11-01',
      '2018-12-01',
      '(default 100)',
      '(default 2000)',
      '(default 300)',
      '(default 0.2)',
      '(default 42)',
    ]) {
      expect(io.out()).toContain(value);
    }
    expect(io.out()).toBe(generateCommand.help);
  });

  const refused: [string[], string][] = [
    [['--out', 'x', '--bogus'], '--bogus'],
    [['--out', 'x', '--start', '2018-13-01'], '--start'],
    [['--out', 'x', '--start', 'yesterday'], '--start'],
    [['--out', 'x', '--end', '2018-02-30'], '--end'],
    [['--out', 'x', '--users', 'many'], '--users'],
    [['--out', 'x', '--users', '0'], '--users'],
    [['--out', 'x', '--match-rate', '1.5'], '--match-rate'],
    [['--out', 'x', '--start', '2018-12-01', '--end', '2018-11-01'], '--end'],
    [['--out', 'x', 'stray'], 'stray'],
    [['--start', '2018-11-01'], '--out'],
    [['--out'], '--out'],
  ];
  it.each(refused)('refuses %j with exit status 2, naming %s', async (args, flag) => {
    const io = captureIo();
    expect(await generateCommand.run(args, io)).toBe(2);
    expect(io.err()).toContain(flag);
    expect(io.out()).toBe('');
  });

  it('writes data into --out and prints a summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-generate-cli-'));
    folders.push(dir);
    const out = join(dir, 'nested', 'data');
    const io = captureIo();
    const args = [
      '--out',
      out,
      '--start',
      '2018-11-01',
      '--end',
      '2018-11-02T12:00:00Z',
      '--songs',
      '20',
      '--users',
      '5',
    ];
    const status = await generateCommand.run(
      [...args, '--events-per-day', '50', '--faults', '2', '--seed', '7'],
      io,
    );
    expect(io.err()).toBe('');
    expect(status).toBe(0);
    expect(io.out()).toMatch(/days\s+2\n/);
    expect(io.out()).toMatch(/faults\s+2\n\s+log_data\/2018\/11\/2018-11-0\d-events\.json:\d+ \(/);
    expect(io.out()).toContain('elapsed');
    const day = await readFile(join(out, 'log_data/2018/11/2018-11-01-events.json'), 'utf8');
    expect(day.length).toBeGreaterThan(0);
  });
});
