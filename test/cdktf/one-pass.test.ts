import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { Tenancy } from '../../provider/cdktf/index.js';

describe('cdktf validation in one pass', () => {
  it('reports cross-account problems of an account that also has field errors', () => {
    const app = new App({ outdir: '/tmp/cdktf-one-pass' });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = tenancy.addAccount('acme', { name: 'Acme', country: 'Canada', language: 'en-US', integrations: ['MS Teams!'] });
    acme.addUser({ email: 'a@acme.example', firstName: 'Ann', miteam: true });
    expect(acme.node.validate().join('\n')).toMatch(/country: "Canada" is not an ISO 3166/);
    const cross = tenancy.node.validate().join('\n');
    expect(cross).toContain('integration "MS Teams!" is not a well-formed type');
    expect(cross).toContain('enables MiTeam for users but does not declare the miteam-meetings integration');
  });
});
