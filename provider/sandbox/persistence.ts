/**
 * Crash-safe persistence of the sandbox state: the whole state is written to a temp file
 * in the same folder, fsynced, and renamed over the data file (then the folder is fsynced),
 * so a reader or a restart after `kill -9` sees either the old or the new state, never a torn file.
 * Saves are coalesced: many writes in quick succession cost one file write.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { StateDump } from './types.js';

/** Writes `dump` to `file` atomically. */
export async function writeStateAtomically(file: string, dump: StateDump): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(dump));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  try {
    const dir = await open(path.dirname(file), 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
  } catch {
    // Some file systems cannot fsync folders; the rename is still atomic.
  }
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
