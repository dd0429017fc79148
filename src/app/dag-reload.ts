import { watchFolder, type FolderWatch, type WatchOptions } from '../loader/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * Loads the runtime's DAGs folder again whenever a file below it changes, is added or removed (as
 * Airflow's DAG processor does), telling `log` what changed and which files now fail to load. A
 * failing file keeps its last good DAGs; a removed DAG stops being scheduled, its history kept.
 */
export function reloadDagsOnChange(
  runtime: Runtime,
  log: (line: string) => void,
  options: WatchOptions = {},
): Promise<FolderWatch> {
  return watchFolder(
    runtime.config.dagsFolder,
    async () => {
      try {
        const { added, changed, removed, errors } = await runtime.reloadDags();
        const parts = [
          ...(added.length ? [`added ${added.join(', ')}`] : []),
          ...(changed.length ? [`changed ${changed.join(', ')}`] : []),
          ...(removed.length ? [`removed ${removed.join(', ')}`] : []),
        ];
        log(`DAGs folder reloaded: ${parts.join('; ') || 'no DAG changed'}`);
        for (const error of errors) log(`warning: ${error.file} failed to load: ${error.message}`);
      } catch (error) {
        log(`the DAGs folder could not be reloaded: ${(error as Error).message}`);
      }
    },
    options,
  );
}
