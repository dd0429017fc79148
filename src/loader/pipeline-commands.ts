import { relative } from 'node:path';
import type { PipelineCommand, PipelineSample } from '../dag/index.ts';
import { findFiles } from './find-files.ts';
import { importTypeScript } from './import-typescript.ts';
import type { DagLoadError } from './load-dag-folder.ts';
import { loadErrorMessage } from './load-error-message.ts';

/** Loads the commands (default export) and sample data (`samples`) pipelines add, from every `*.cli.ts`. */
export async function loadPipelineCommands(
  folder: string,
): Promise<{ commands: PipelineCommand[]; samples: PipelineSample[]; errors: DagLoadError[] }> {
  const commands: PipelineCommand[] = [];
  const samples: PipelineSample[] = [];
  const errors: DagLoadError[] = [];
  for (const path of await findFiles(folder, '.cli.ts')) {
    try {
      const module = (await importTypeScript(path)) as { default?: unknown; samples?: unknown };
      if (!Array.isArray(module.default)) throw new Error('its default export is not an array of commands');
      commands.push(...(module.default as PipelineCommand[]));
      if (Array.isArray(module.samples)) samples.push(...(module.samples as PipelineSample[]));
    } catch (error) {
      errors.push({ file: relative(folder, path), message: loadErrorMessage(error) });
    }
  }
  return { commands, samples, errors };
}
