/** Reads one line from the command's stdin (for the "yes" confirmation). */
import { createInterface } from 'node:readline';
import type { CliIo } from './io.js';

export async function askLine(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}
