/**
 * The same tenancy as examples/yaml, declared in TypeScript with cdktf constructs.
 * `npm run synth` (or `npx tsx examples/typescript/main.ts`) writes cdktf.out/stacks/northwind/
 * with cdk.tf.json and tenancy.json; `cloudlink-tenancy plan --from-cdktf cdktf.out` plans it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { Tenancy } from 'cloudlink-tenancy/cdktf';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** Builds the app; `outdir` defaults to cdktf.out at the repository root. */
export function buildApp(outdir = path.join(root, 'cdktf.out')): App {
  const app = new App({ outdir });
  const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1234', defaults: { usersPolicy: 'additive', welcomeEmail: 'onEnable', accountCreation: 'api' } });
  const support = ['support@northwind.example'];

  const acme = tenancy.addAccount('acme', {
    name: 'Acme Corp',
    country: 'CA',
    address: '100 Main St',
    city: 'Ottawa',
    postalCode: 'K1A 0B1',
    language: 'en-US',
    supportContacts: support,
    tags: { tier: 'gold' },
    users: { policy: 'authoritative' },
  });
  acme.addIntegration('miteam-meetings');
  acme.assignOrder({ trackingNumber: 'TN-1001' });
  acme.assignOrder({ customerPo: 'PO-ACME-77' });
  acme.addUser({ email: 'alice.liddell@acme.example', firstName: 'Alice', lastName: 'Liddell', country: 'CA', role: 'Account Admin', miteam: true });
  for (const [firstName, lastName, miteam] of [
    ['Bob', 'Builder', true],
    ['Carol', 'Danvers', true],
    ['Dave', 'Bowman', false],
  ] as const) {
    acme.addUser({ email: `${firstName}.${lastName}@acme.example`.toLowerCase(), firstName, lastName, miteam });
  }
  acme.addUsersFromCsv(path.join(root, 'examples', 'yaml', 'users', 'acme.csv'));

  const globex = tenancy.addAccount('globex', {
    name: 'Globex Corporation',
    country: 'DE',
    address: 'Friedrichstraße 100',
    city: 'Berlin',
    postalCode: '10117',
    language: 'de-DE',
    supportContacts: support,
    welcomeEmail: 'onCreate',
  });
  globex.addIntegration('miteam-meetings');
  globex.assignOrder({ sapOrderId: 'SAP-2002' });
  const globexPeople: [string, string, boolean, ('Account Admin' | 'User')?, string?][] = [
    ['Hank', 'Scorpio', true, 'Account Admin'],
    ['Homer', 'Simpson', true],
    ['Lenny', 'Leonard', true],
    ['Carl', 'Carlson', true],
    ['Frank', 'Grimes', false],
    ['Mindy', 'Simmons', true, undefined, 'DE'],
    ['Karl', 'Becker', false, 'Account Admin', 'DE'],
  ];
  for (const [firstName, lastName, miteam, role, country] of globexPeople) {
    globex.addUser({ email: `${firstName}.${lastName}@globex.example`.toLowerCase(), firstName, lastName, miteam, ...(role ? { role } : {}), ...(country ? { country } : {}) });
  }

  const initech = tenancy.addAccount('initech', {
    name: 'Initech',
    adopt: { accountId: '8f14e45fceea167a5a36dedd4bea2543' },
    protect: true,
    country: 'US',
    address: '1 Initech Way',
    city: 'Austin',
    postalCode: '73301',
    language: 'en-US',
    supportContacts: support,
  });
  initech.addIntegration('miteam-meetings');
  initech.assignOrder({ sapOrderId: 'SAP-2003' });
  initech.assignOrder({ trackingNumber: 'TN-1007' });
  const initechPeople: [string, string, boolean, ('Account Admin' | 'User')?][] = [
    ['Peter', 'Gibbons', true, 'Account Admin'],
    ['Samir', 'Nagheenanajar', true],
    ['Michael', 'Bolton', false],
    ['Milton', 'Waddams', false],
    ['Bill', 'Lumbergh', true, 'Account Admin'],
    ['Joanna', 'Smith', true],
  ];
  for (const [firstName, lastName, miteam, role] of initechPeople) {
    initech.addUser({ email: `${firstName}.${lastName}@initech.example`.toLowerCase(), firstName, lastName, miteam, ...(role ? { role } : {}) });
  }
  return app;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildApp(process.env.CDKTF_OUTDIR).synth();
}
