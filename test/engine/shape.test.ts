import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENGINE = path.resolve('provider/engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every function, method and arrow function of a file longer than `max` lines, as `file:line name (n lines)`. */
function longFunctions(file: string, max: number): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      if (lines > max) out.push(`${path.relative(process.cwd(), file)}:${start + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('the engine reads as small pieces', () => {
  it('has no function over 60 lines', () => {
    expect(sources(ENGINE).flatMap((f) => longFunctions(f, 60))).toEqual([]);
  });

  it('is split into plan/, apply/ and drift/ with a README a newcomer can follow', () => {
    for (const dir of ['plan', 'apply', 'drift']) expect(statSync(path.join(ENGINE, dir)).isDirectory()).toBe(true);
    const readme = readFileSync(path.join(ENGINE, 'README.md'), 'utf8');
    for (const file of ['reconcile.ts', 'snapshot.ts', 'plan/bind.ts', 'plan/diff.ts', 'apply/apply.ts', 'apply/changes.ts', 'planfile.ts', 'drift/report.ts']) expect(readme).toContain(file);
  });
});
