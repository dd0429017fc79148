export { loadDagFolder } from './load-dag-folder.ts';
export { loadPipelineCommands } from './pipeline-commands.ts';
export type { DagFolder, DagLoadError } from './load-dag-folder.ts';
export { watchFolder } from './watch-folder.ts';
export type { FolderWatch, WatchOptions } from './watch-folder.ts';
export { folderChanges, keepLastGood } from './keep-last-good.ts';
