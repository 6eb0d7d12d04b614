/** `users send-welcome --all-pending` follows the declared welcomeEmail policy; `--dry-run` lists who would be mailed. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const setup = sandboxPerTest();
const examples = path.resolve('examples/yaml');

describe('users send-welcome --all-pending', () => {
  it('mails only the users the declared policy names (onEnable: MiTeam users) who have not registered and have no record', async () => {
    const { cli, client, sandbox } = await setup();
    // Two unregistered users without a welcome record: Joanna is declared miteam: true, Milton miteam: false (and Michael, live already, miteam: false).
    const rows = await client.users.createMany(DEMO_INITECH_ID, [
      { email: 'joanna.smith@initech.example', firstName: 'Joanna', lastName: 'Smith' },
      { email: 'milton.waddams@initech.example', firstName: 'Milton', lastName: 'Waddams' },
    ]);
    const joanna = rows[0]?.ok ? rows[0].user.userId : '';
    await client.billing.enable(DEMO_INITECH_ID, joanna, 'miteam-meetings');
    expect(sandbox.state().outbox).toEqual([]);

    const dry = await cli('users', 'send-welcome', examples, '--account', 'initech', '--all-pending', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(`would send welcome e-mail to joanna.smith@initech.example (${joanna})\n`);
    expect(sandbox.state().outbox).toEqual([]);

    const sent = await cli('users', 'send-welcome', examples, '--account', 'initech', '--all-pending');
    expect(sent.out).toBe(`sent welcome e-mail to joanna.smith@initech.example (${joanna})\n`);
    expect(sandbox.state().outbox.map((m) => `${m.type} ${m.to}`)).toEqual(['welcome joanna.smith@initech.example']);

    // Recorded now: nobody is pending any more.
    expect((await cli('users', 'send-welcome', examples, '--account', 'initech', '--all-pending')).out).toBe('no users matched; nothing sent\n');
    // Without a declaration: unregistered users holding a MiTeam license (Joanna, recorded, so none).
    expect((await cli('users', 'send-welcome', '--account-id', DEMO_INITECH_ID, '--all-pending', '--dry-run')).out).toBe('no users matched; nothing sent\n');
    expect(sandbox.state().outbox).toHaveLength(1);
  });
});
