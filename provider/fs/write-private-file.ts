/**
 * The one way this tool writes a file that may hold secrets or personal data (saved plans, import
 * and drift output, `--trace-http`, the sandbox `--data` file, templates): the file is readable
 * and writable by its owner only (`0600`). A new file is created with that mode; an existing
 * file is `chmod`ed to it before anything is written, so a file once world-readable does not
 * keep leaking. The process umask cannot widen the mode (an explicit `fchmod` follows the open).
 */
import { createWriteStream, openSync, fchmodSync, type WriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/** Owner read and write only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Writes `data` to `file` (created or truncated), mode 0600. Not atomic: a crash can leave a partial file. */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `file` atomically, mode 0600: a temp file in the same folder (created 0600,
 * fsynced) is renamed over `file`, then the folder is fsynced, so a reader or a restart after
 * `kill -9` sees the old or the new content, never a torn file.
 */
export async function writePrivateFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(data);
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

/** An append stream to `file` (created if missing), mode 0600 (an existing file is chmod-ed first). */
export function openPrivateAppendStream(file: string): WriteStream {
  const fd = openSync(file, 'a', PRIVATE_FILE_MODE);
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return createWriteStream('', { fd });
}
