export { loadDagFolder } from './load-dag-folder.ts';
export { loadPipelineCommands } from './pipeline-commands.ts';
export type { DagFolder, DagLoadError } from './load-dag-folder.ts';
