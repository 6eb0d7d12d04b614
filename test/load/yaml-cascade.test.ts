import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenancy } from '../../provider/load/index.js';

const HERE = path.resolve('test/load');

describe('one YAML syntax error per file', () => {
  it('reports the first structural error of a mis-indented file and still checks the other files', async () => {
    const r = await loadTenancy(['bad/37-one-mis-indented-line.yaml', 'bad/15-unknown-user-field.yaml'], { cwd: HERE });
    const broken = r.diagnostics.filter((d) => d.file?.endsWith('37-one-mis-indented-line.yaml'));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ line: 6, column: 1 });
    expect(broken[0]?.message).toContain('not listed: 16 later YAML errors');
    expect(r.diagnostics.some((d) => d.file?.endsWith('15-unknown-user-field.yaml') && d.message.includes('unknown field "mail"'))).toBe(true);
  });
});
