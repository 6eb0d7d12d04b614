/**
 * OData query options as the sandbox serves them: `$filter` (parsed into a small expression
 * tree and checked against each resource's filterable fields), `$top`/`$skip`/`$skiptoken`
 * windows and the `$expand` list.
 *
 * Grammar (case-insensitive keywords):
 *   expr    := and ('or' and)*
 *   and     := primary ('and' primary)*
 *   primary := '(' expr ')' | field op literal | fn '(' arg ',' arg ')'
 *   op      := eq | ne | lt | gt        fn := substringof | contains (field and 'text' in either order)
 *   literal := 'text' ('' escapes a quote) | null
 * A field the resource does not allow, an operator the field does not allow, or anything
 * unparsable is 400 BadRequest: clients must then list and filter themselves.
 */
import { ApiFailure } from './types.js';

export type FilterOp = 'eq' | 'ne' | 'lt' | 'gt' | 'contains';

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'cmp'; op: FilterOp; field: string; value: string | null };

/** How one field may be filtered. */
export interface FieldRule {
  /** Operators allowed (`contains` covers substringof and contains). */
  ops: readonly FilterOp[];
  /** Compare text case-insensitively (e-mails). */
  caseInsensitive?: boolean;
  /** lt/gt compare as ISO dates. */
  date?: boolean;
}

export type FieldRules = Record<string, FieldRule>;

type Token = { t: 'lp' } | { t: 'rp' } | { t: 'comma' } | { t: 'str'; v: string } | { t: 'word'; v: string };

function bad(message: string): ApiFailure {
  return new ApiFailure(400, `Invalid $filter: ${message}`);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(') {
      out.push({ t: 'lp' });
      i += 1;
    } else if (c === ')') {
      out.push({ t: 'rp' });
      i += 1;
    } else if (c === ',') {
      out.push({ t: 'comma' });
      i += 1;
    } else if (c === "'") {
      let v = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw bad('unterminated string');
        const d = text[i] as string;
        if (d === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        v += d;
        i += 1;
      }
      out.push({ t: 'str', v });
    } else {
      const m = /^[A-Za-z_$][\w.$/-]*/.exec(text.slice(i));
      if (!m) throw bad(`unexpected "${c}"`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpr {
    const e = this.or();
    if (this.i < this.tokens.length) throw bad('unexpected text after the expression');
    return e;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.i];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.i += 1;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterExpr {
    let left = this.primary();
    while (this.peekWord() === 'and') {
      this.i += 1;
      left = { kind: 'and', left, right: this.primary() };
    }
    return left;
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (!t) throw bad('unexpected end');
    this.i += 1;
    return t;
  }

  private primary(): FilterExpr {
    const t = this.next();
    if (t.t === 'lp') {
      const e = this.or();
      if (this.next().t !== 'rp') throw bad('missing ")"');
      return e;
    }
    if (t.t !== 'word') throw bad('expected a field or function');
    const fn = t.v.toLowerCase();
    if ((fn === 'substringof' || fn === 'contains') && this.tokens[this.i]?.t === 'lp') {
      this.i += 1;
      const a = this.next();
      if (this.next().t !== 'comma') throw bad(`${fn} takes two arguments`);
      const b = this.next();
      if (this.next().t !== 'rp') throw bad(`missing ")" after ${fn}`);
      // Accept the field and the text in either order (OData v2 substringof puts the text first).
      if (a.t === 'word' && b.t === 'str') return { kind: 'cmp', op: 'contains', field: a.v, value: b.v };
      if (a.t === 'str' && b.t === 'word') return { kind: 'cmp', op: 'contains', field: b.v, value: a.v };
      throw bad(`${fn} needs a field and a quoted text`);
    }
    const op = this.next();
    if (op.t !== 'word' || !['eq', 'ne', 'lt', 'gt'].includes(op.v.toLowerCase())) throw bad(`expected eq, ne, lt or gt after ${t.v}`);
    const lit = this.next();
    let value: string | null;
    if (lit.t === 'str') value = lit.v;
    else if (lit.t === 'word' && lit.v.toLowerCase() === 'null') value = null;
    else throw bad(`${t.v} ${op.v} needs a quoted value or null`);
    return { kind: 'cmp', op: op.v.toLowerCase() as FilterOp, field: t.v, value };
  }
}

/** Parses `$filter` and checks it against the resource's rules; undefined when absent. */
export function parseFilter(text: string | null, rules: FieldRules): FilterExpr | undefined {
  if (text === null || text.trim() === '') return undefined;
  const expr = new Parser(tokenize(text)).parse();
  const check = (e: FilterExpr): void => {
    if (e.kind !== 'cmp') {
      check(e.left);
      check(e.right);
      return;
    }
    const rule = rules[e.field];
    if (!rule) throw new ApiFailure(400, `Invalid $filter: the field ${e.field} cannot be filtered`);
    if (!rule.ops.includes(e.op)) throw new ApiFailure(400, `Invalid $filter: ${e.op} is not supported on ${e.field}`);
    if (e.value === null && e.op !== 'eq' && e.op !== 'ne') throw bad(`${e.op} null is not supported`);
    if (rule.date && (e.op === 'lt' || e.op === 'gt') && Number.isNaN(Date.parse(e.value ?? ''))) throw bad(`${e.field} ${e.op} needs an ISO date`);
  };
  check(expr);
  return expr;
}

/** True when the object satisfies the expression; `get` reads a field. */
export function evaluate(expr: FilterExpr | undefined, rules: FieldRules, get: (field: string) => unknown): boolean {
  if (!expr) return true;
  if (expr.kind === 'and') return evaluate(expr.left, rules, get) && evaluate(expr.right, rules, get);
  if (expr.kind === 'or') return evaluate(expr.left, rules, get) || evaluate(expr.right, rules, get);
  return compare(expr as Extract<FilterExpr, { kind: 'cmp' }>, rules, get);
}

function compare(expr: Extract<FilterExpr, { kind: 'cmp' }>, rules: FieldRules, get: (field: string) => unknown): boolean {
  const rule = rules[expr.field] as FieldRule;
  const raw = get(expr.field);
  const value = raw === null || raw === undefined ? null : String(raw);
  const fold = (s: string): string => (rule.caseInsensitive ? s.toLowerCase() : s);
  switch (expr.op) {
    case 'eq':
      return value === null || expr.value === null ? value === expr.value : fold(value) === fold(expr.value);
    case 'ne':
      return !(value === null || expr.value === null ? value === expr.value : fold(value) === fold(expr.value));
    case 'contains':
      return value !== null && expr.value !== null && value.toLowerCase().includes(expr.value.toLowerCase());
    case 'lt':
    case 'gt': {
      if (value === null || expr.value === null) return false;
      const [a, b] = rule.date ? [Date.parse(value), Date.parse(expr.value)] : [value, expr.value];
      return expr.op === 'lt' ? a < b : a > b;
    }
  }
}

/** The `$top` cap: larger values are capped, not refused [A]; the contract (2.1) says the sandbox serves up to 1,000. */
export const MAX_TOP = 1000;
/** The page size when `$top` is absent [A]. */
export const DEFAULT_TOP = 100;

/** Reads `$top` (1..; capped at MAX_TOP; default DEFAULT_TOP). */
export function readTop(params: URLSearchParams): number {
  const text = params.get('$top');
  if (text === null) return DEFAULT_TOP;
  const top = Number(text);
  if (!Number.isInteger(top) || top < 1) throw new ApiFailure(400, '$top must be a positive integer');
  return Math.min(top, MAX_TOP);
}

/** Reads `$skip` (an integer offset). */
export function readSkip(params: URLSearchParams): number {
  const text = params.get('$skip');
  if (text === null) return 0;
  const skip = Number(text);
  if (!Number.isInteger(skip) || skip < 0) throw new ApiFailure(400, '$skip must be a non-negative integer');
  return skip;
}

/** An opaque continuation token for an offset. */
export function makeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, r: Math.floor(Math.random() * 1e6) }), 'utf8').toString('base64url');
}

/** Reads `$skiptoken` (made by `makeSkipToken`); 400 when it is not one. */
export function readSkipToken(params: URLSearchParams): number {
  const text = params.get('$skiptoken');
  if (text === null) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new ApiFailure(400, '$skiptoken is not a continuation token of this list; follow _links.next');
}

/** The `$expand` entries, lower-cased. */
export function expands(params: URLSearchParams): Set<string> {
  return new Set(
    (params.get('$expand') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}
