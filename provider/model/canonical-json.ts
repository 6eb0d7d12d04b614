/** The one canonical-JSON writer: object keys sorted at every level, so equal data gives equal text and equal digests (plans, cdktf output). */
import { createHash, type Hash } from 'node:crypto';

function write(value: unknown, out: (s: string) => void, omit?: ReadonlySet<string>): void {
  if (value === null || typeof value !== 'object') {
    out(value === undefined ? 'null' : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out('[');
    value.forEach((v, i) => {
      if (i > 0) out(',');
      write(v, out, omit);
    });
    out(']');
    return;
  }
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined && !omit?.has(k)).sort();
  out('{');
  keys.forEach((k, i) => {
    out(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
    write((value as Record<string, unknown>)[k], out, omit);
  });
  out('}');
}

/** JSON with object keys sorted at every level, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, (s) => parts.push(s));
  return parts.join('');
}

/** The canonical JSON indented by two spaces and ending in a newline (files people read, e.g. cdktf's `tenancy.json`). */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}

/** `sha256:<hex>` of the canonical JSON of `value` (streamed into the hash, never built as one string); `omitKeys` are skipped at every level. */
export function digestOf(value: unknown, omitKeys?: readonly string[]): string {
  const omit = omitKeys ? new Set(omitKeys) : undefined;
  const hash: Hash = createHash('sha256');
  let buffer = '';
  write(value, (s) => {
    buffer += s;
    if (buffer.length > 65_536) {
      hash.update(buffer);
      buffer = '';
    }
  }, omit);
  hash.update(buffer);
  return `sha256:${hash.digest('hex')}`;
}
