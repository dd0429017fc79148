/**
 * What Sparkify adds to `downbeat` (found by the CLI through the `*.cli.ts` name): the `sparkify
 * generate` command, and the sample month `downbeat standalone` loads on its first start.
 */
import type { PipelineCommand, PipelineSample } from 'downbeat';
import { generateCommand } from './generate/generate-command.ts';
import { sparkifySample } from './sample.ts';

const commands: PipelineCommand[] = [generateCommand];
export default commands;

export const samples: PipelineSample[] = [sparkifySample];
