/** Command lines a person can paste into a POSIX shell. */
import { shellWord } from '../report/escape-terminal.js';

export { shellWord };

/** Arguments joined into a line a shell reads back as the same arguments. */
export function shellLine(args: readonly string[]): string {
  return args.map(shellWord).join(' ');
}
