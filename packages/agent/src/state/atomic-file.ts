import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `data` so that a crash leaves either the old file or
 * the new one, never a torn mix: write a temp file in the same directory
 * with the final mode, fsync it, rename it over, fsync the directory (so the
 * rename itself survives a power cut). The temp name is random and created
 * exclusively ('wx'), so a planted symlink is never followed.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(tmp, 'wx', mode);
  try {
    try {
      await file.writeFile(data);
      // The umask may have taken bits away at create; the mode asked for is the mode meant.
      await file.chmod(mode);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** fsync a directory so a rename or unlink in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
