/** The commands Sparkify adds to `downbeat` (found by the CLI through the `*.cli.ts` name). */
import type { PipelineCommand } from '../../src/dag/index.ts';
import { generateCommand } from './generate/index.ts';
import { quickstartCommand } from './quickstart-command.ts';

const commands: PipelineCommand[] = [generateCommand, quickstartCommand];
export default commands;
