/**
 * `npm run readme:commands`: rewrites the generated command reference in README.md from the
 * CLI's own option definitions (the test in readme.test.ts fails while they differ).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { commands } from '../../provider/cli/registry.js';
import { withCommandReference } from '../../provider/cli/options/readme.js';

const readme = await readFile('README.md', 'utf8');
const next = withCommandReference(readme, commands);
if (next === undefined) {
  process.stderr.write('README.md has no command reference markers; see provider/cli/options/readme.ts\n');
  process.exitCode = 1;
} else if (process.argv.includes('--write')) {
  await writeFile('README.md', next);
  process.stdout.write(next === readme ? 'README.md command reference is up to date\n' : 'README.md command reference rewritten\n');
} else process.stdout.write(next);
