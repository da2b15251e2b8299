import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskUser } from './run-as.js';

/** A task's script on disk: `path` lives in `dir`, which is removed afterwards. */
export interface ScriptFile {
  dir: string;
  path: string;
}

/**
 * Makes the agent's tmp dir if missing. 0711: other users may pass through
 * it to their own task dir (run-as) but cannot list what is in it.
 */
export async function ensureTmpDir(tmpDir: string): Promise<void> {
  await mkdir(tmpDir, { recursive: true, mode: 0o711 });
}

/**
 * Writes the script to `<tmpDir>/task-XXXXXX/script`: the dir 0700 and the
 * file 0600, both owned by the task's user, so no other user can read or
 * swap the script between writing and running it. mkdtemp's random name and
 * the exclusive create ('wx') rule out following a planted symlink.
 */
export async function writeScriptFile(tmpDir: string, script: string, user: TaskUser): Promise<ScriptFile> {
  const dir = await mkdtemp(join(tmpDir, 'task-'));
  try {
    const path = join(dir, 'script');
    await writeFile(path, script, { mode: 0o600, flag: 'wx' });
    if (user.switchTo) {
      await chown(path, user.switchTo.uid, user.switchTo.gid);
      await chown(dir, user.switchTo.uid, user.switchTo.gid);
    }
    return { dir, path };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function removeScriptFile(file: ScriptFile): Promise<void> {
  await rm(file.dir, { recursive: true, force: true });
}
