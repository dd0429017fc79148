/**
 * What the audit log keeps of a request's fields: everything but secrets. A field named like a
 * secret (password, token, secret, credential, private or access key, a connection's extra) is
 * `***` whatever it holds; in every other string, a URI's password and its secret-named query
 * parameters are `***` (a connection's URI, a URI pasted into a conf). Long strings and big bodies
 * are cut, so a row stays small.
 */

const SECRET_NAME = /passw|passphrase|^pass$|secret|token|credential|private|api_?key|access_?key|^extra$/i;
const URI_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/gi;
const SECRET_PARAM = /([?&][^=&\s]*(?:secret|password|token|key|credential)[^=&\s]*=)[^&\s]*/gi;
const MAX_STRING = 1000;
const MAX_DEPTH = 8;
/** Above this, the fields are kept as the start of their JSON text. */
export const MAX_FIELDS_JSON = 16_384;
export const MASK = '***';

function maskString(text: string): string {
  const masked = text.replace(URI_PASSWORD, `$1:${MASK}@`).replace(SECRET_PARAM, `$1${MASK}`);
  return masked.length > MAX_STRING
    ? `${masked.slice(0, MAX_STRING)}… (${masked.length} characters)`
    : masked;
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[maskString(key)] =
      SECRET_NAME.test(key) && v !== null && v !== undefined ? MASK : maskValue(v, depth + 1);
  }
  return out;
}

/** The fields as the audit log stores them (JSON text): secrets masked, size bounded. */
export function maskedFieldsJson(fields: Readonly<Record<string, unknown>>): string {
  const json = JSON.stringify(maskValue(fields, 0)) ?? '{}';
  return json.length > MAX_FIELDS_JSON
    ? JSON.stringify({ truncated: `${json.slice(0, MAX_FIELDS_JSON)}…` })
    : json;
}
