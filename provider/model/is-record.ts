/** The one test for a parsed JSON or YAML object, shared by the loader, the model's schema and the wire shapes. */

/** A parsed JSON or YAML object. */
export type Json = Record<string, unknown>;

/** True for a plain object (not null, not an array). */
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
