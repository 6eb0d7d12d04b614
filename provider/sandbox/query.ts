/** OData-ish `$filter` parsing and `$top`/`$skip` pagination as the CloudLink API does them. */
import { ApiFailure } from './store.js';

/** One filter clause: `field eq 'v'`, `field lt 'v'`, `contains(field, 'v')`. */
export interface FilterClause {
  op: 'eq' | 'ne' | 'lt' | 'gt' | 'contains';
  field: string;
  value: string | null;
}

/** Parses `$filter`; an unknown field or syntax is 400 validation_failed naming the allowed fields. */
export function parseFilter(text: string | null, allowed: readonly string[]): FilterClause[] {
  if (!text) return [];
  return text.split(/\s+and\s+/i).map((part) => {
    const clause = part.trim();
    const contains = /^contains\(\s*([\w.-]+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
    const compare = /^([\w.-]+)\s+(eq|ne|lt|gt)\s+(?:'((?:[^']|'')*)'|(null))$/i.exec(clause);
    let result: FilterClause;
    if (contains) result = { op: 'contains', field: contains[1] ?? '', value: (contains[2] ?? '').replace(/''/g, "'") };
    else if (compare) result = { op: (compare[2] ?? 'eq').toLowerCase() as FilterClause['op'], field: compare[1] ?? '', value: compare[4] ? null : (compare[3] ?? '').replace(/''/g, "'") };
    else throw new ApiFailure(400, 'validation_failed', `cannot parse $filter clause "${clause}"`, [{ field: '$filter', message: "use field eq 'value', field lt 'value' or contains(field, 'value')" }]);
    if (!allowed.includes(result.field)) {
      throw new ApiFailure(400, 'validation_failed', `$filter on "${result.field}" is not supported`, [{ field: '$filter', message: `filterable fields: ${allowed.join(', ')}` }]);
    }
    return result;
  });
}

/** True when `value` (a field of the object) satisfies the clause. Text comparisons are case-insensitive for eq/contains. */
export function matches(clause: FilterClause, value: unknown): boolean {
  const text = value === null || value === undefined ? null : String(value);
  switch (clause.op) {
    case 'eq':
      return text === null || clause.value === null ? text === clause.value : text.toLowerCase() === clause.value.toLowerCase();
    case 'ne':
      return !(text === null || clause.value === null ? text === clause.value : text.toLowerCase() === clause.value.toLowerCase());
    case 'lt':
      return text !== null && clause.value !== null && text < clause.value;
    case 'gt':
      return text !== null && clause.value !== null && text > clause.value;
    case 'contains':
      return text !== null && clause.value !== null && text.toLowerCase().includes(clause.value.toLowerCase());
  }
}

/** Reads `$top` (1..100, default 50) and `$skip` (an opaque token made by `skipToken`). */
export function pageWindow(params: URLSearchParams): { top: number; offset: number } {
  const topText = params.get('$top');
  const top = topText === null ? 50 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 100) throw new ApiFailure(400, 'validation_failed', '$top must be 1..100', [{ field: '$top', message: 'between 1 and 100' }]);
  const skip = params.get('$skip');
  let offset = 0;
  if (skip) {
    const decoded = Number(Buffer.from(skip, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw new ApiFailure(400, 'validation_failed', '$skip is not a continuation token from a previous page', [{ field: '$skip', message: 'use _links.next' }]);
    offset = decoded;
  }
  return { top, offset };
}

/** The opaque continuation token for an offset. */
export function skipToken(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}
