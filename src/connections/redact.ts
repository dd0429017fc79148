/**
 * Secrets this process knows (connection passwords and keys, as connections are resolved), and
 * the one function that masks them in any text before it is logged, stored or printed: a secret
 * inside a failing SQL statement or a URI in an error message comes out as ***.
 */
const secrets = new Set<string>();

/** Secrets shorter than this are not masked: masking "a" would garble every message. */
const SHORTEST = 4;

export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= SHORTEST) {
    secrets.add(secret);
    // The same secret as it appears percent-encoded in a URI.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) secrets.add(encoded);
  }
}

/**
 * Registers the password and the secret-looking query values of a connection URI; for an `aws://`
 * URI (Airflow's form, `aws://ACCESS_KEY_ID:SECRET@/`, which is no WHATWG URL) the key id too.
 */
export function registerUriSecrets(uri: string): void {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?[^?#]*(?:\?([^#]*))?/i.exec(uri);
  if (!match) return;
  const decode = (text: string | undefined) => {
    try {
      return decodeURIComponent(text ?? '');
    } catch {
      return text ?? '';
    }
  };
  registerSecret(decode(match[3]));
  if (match[1]?.toLowerCase() === 'aws') registerSecret(decode(match[2]));
  for (const [name, value] of new URLSearchParams(match[4] ?? '')) {
    if (/secret|password|token|key/i.test(name)) registerSecret(value);
  }
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}
