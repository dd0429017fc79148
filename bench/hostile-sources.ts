/**
 * Stages many tiny song files through Stage_songs' catalog path (issue #7, "hostile sources"):
 * how long it takes and how much memory it needs. The test stages 5,000; this stages 100,000.
 * Usage: node --import tsx bench/hostile-sources.ts [FILES]  → prints one JSON line.
 */
import { songColumns } from '../pipelines/sparkify/staging-columns.ts';
import { createTables } from '../pipelines/sparkify/sql.ts';
import { testEnvironment } from '../src/executor/testing.ts';
import { stageJson } from '../src/operators/index.ts';
import { withPeakMemory, writeTinySongFiles } from '../src/operators/stage/testing.ts';

const files = Number(process.argv[2] ?? 100_000);
const env = await testEnvironment();
try {
  const warehouse = await env.connections.warehouse('warehouse');
  for (const statement of createTables) await warehouse.execute(statement);
  let started = performance.now();
  await writeTinySongFiles(env.sourceFolder, files);
  const writeSeconds = (performance.now() - started) / 1000;
  const stage = stageJson({
    source: 'source',
    table: 'staging_songs',
    objects: { prefix: 'song_data/', suffix: '.json' },
    framing: 'json',
    columns: songColumns,
  });
  started = performance.now();
  const { result, peak } = await withPeakMemory(() =>
    stage.execute(env.context('Stage_songs', '2018-11-01T00:00:00Z')),
  );
  const stageSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const again = await stage.execute(env.context('Stage_songs', '2018-11-01T01:00:00Z'));
  const unchangedSeconds = (performance.now() - started) / 1000;
  const rows = (await warehouse.query('SELECT COUNT(*) AS n FROM staging_songs'))[0]?.n;
  process.stdout.write(
    `${JSON.stringify({
      files,
      rows,
      writeSeconds: round(writeSeconds),
      stageSeconds: round(stageSeconds),
      filesPerSecond: Math.round(files / stageSeconds),
      unchangedRelistSeconds: round(unchangedSeconds),
      heapPeakMb: peak.heapMb,
      rssPeakRiseMb: peak.rssMb,
      maxRssRiseMb: peak.maxRssRiseMb,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      summary: result.summary,
      again: again.summary,
    })}\n`,
  );
} finally {
  await env.close();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
