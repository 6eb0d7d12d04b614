/**
 * Tag ids that name object machinery: `constructor`, `toString` are ordinary tag ids, compared by
 * own keys on both sides (declared maps from the loader and live maps from the wire are
 * null-prototype objects); `__proto__` and the tool's own ids are refused at validate (see
 * test/load/hostile-inputs.test.ts).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFromWire, accountSchema } from '../../provider/api/wire.js';
import { loadTenancy } from '../../provider/load/index.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { differing } from '../../provider/engine/plan/attributes.js';
import { desiredAccount, liveAccount, NOW, snapshot, tenancy } from '../helpers/build.js';

describe('tag ids that are object method names', () => {
  it('the loader keeps "constructor" and "toString" tags in a null-prototype map', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tags-'));
    await writeFile(
      path.join(dir, 't.yaml'),
      'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\naccounts:\n  - { key: acme, name: Acme, country: CA, language: en-US, tags: { constructor: builder, toString: text } }\n',
    );
    const r = await loadTenancy(['t.yaml'], { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    const tags = r.tenancy?.accounts[0]?.tags ?? {};
    expect(Object.getPrototypeOf(tags)).toBeNull();
    expect(Object.entries(tags)).toEqual([
      ['constructor', 'builder'],
      ['toString', 'text'],
    ]);
  });

  it('live tags from the wire are a null-prototype map: a missing "constructor" tag reads as missing', () => {
    const wire = accountSchema.parse({ accountId: 'A1', name: 'Acme', tags: { 'cloudlink-tenancy': { key: 'acme' }, tier: 'gold' } });
    const live = accountFromWire(wire);
    expect(Object.getPrototypeOf(live.tags)).toBeNull();
    expect(live.tags.constructor).toBeUndefined();
    expect(live.identityKey).toBe('acme');
  });

  it('a declared "constructor" tag is compared with the live tag of that id, never with Object.prototype.constructor', () => {
    expect(differing({ constructor: 'builder' }, {})).toEqual({ before: { constructor: null }, after: { constructor: 'builder' } });
    expect(differing({ constructor: 'builder' }, { constructor: 'builder' })).toBeUndefined();
    const d = desiredAccount('acme', { tags: Object.assign(Object.create(null) as Record<string, string>, { constructor: 'builder' }) });
    const converged = diffTenancy(tenancy(d), snapshot([{ account: liveAccount(d, 'A1'), contacts: [], integrations: [], users: [] }], []), { now: NOW });
    expect(converged.changes.filter((c) => c.kind === 'account' && c.action !== 'noop')).toEqual([]);
    const missing = diffTenancy(tenancy(d), snapshot([{ account: liveAccount(d, 'A1', { tags: Object.create(null) as Record<string, string> }), contacts: [], integrations: [], users: [] }], []), { now: NOW });
    const update = missing.changes.find((c) => c.kind === 'account' && c.action === 'update');
    expect(update?.before).toEqual({ tags: { constructor: null } });
    expect(update?.after).toEqual({ tags: { constructor: 'builder' } });
  });
});
