/**
 * A load error as a person reads it: Node's message, with the reload generation Downbeat adds to a
 * file's URL taken out (it names the file and the module it could not find as they are on disk).
 */
export function loadErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\?downbeat-generation=\d+/g, '');
}
