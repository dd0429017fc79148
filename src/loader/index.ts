export { loadDagFolder, loadPipelineCommands } from './load-dag-folder.ts';
export type { DagFolder, DagLoadError } from './load-dag-folder.ts';
