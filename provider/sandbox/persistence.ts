/**
 * Crash-safe persistence of the sandbox state: the whole state is written to a temp file
 * in the same folder, fsynced, and renamed over the data file (then the folder is fsynced),
 * so a reader or a restart after `kill -9` sees either the old or the new state, never a torn file.
 * Saves are coalesced: many writes in quick succession cost one file write.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StateDump } from './types.js';
import { writePrivateFileAtomically } from '../fs/write-private-file.js';

/** Writes `dump` to `file` atomically, mode 0600 (it holds passwords, client secrets and, seeded from live, a tenant's data). */
export async function writeStateAtomically(file: string, dump: StateDump): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writePrivateFileAtomically(file, JSON.stringify(dump));
}

/** Reads a state file, or undefined when it does not exist yet. */
export async function readState(file: string): Promise<StateDump | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const dump = JSON.parse(text) as StateDump;
  if (dump.version !== 2) throw new Error(`${file}: sandbox state version ${String(dump.version)} is not version 2 (this sandbox serves CloudLink API v2); delete the file to start afresh`);
  return dump;
}

/** Coalesces saves: `schedule()` after each write, `flush()` before exit. */
export class StateSaver {
  private pending = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly dump: () => StateDump,
  ) {}

  schedule(): void {
    this.pending = true;
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending) {
        this.pending = false;
        await writeStateAtomically(this.file, this.dump());
      }
    } finally {
      this.running = undefined;
    }
  }

  /** Resolves once every scheduled save is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending) {
      this.schedule();
      await this.running;
    }
  }
}
