import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { TaskSetupError } from './task-setup-error.js';

/** The account a task runs under. `switchTo` is set only when spawn must change uid/gid. */
export interface TaskUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  switchTo?: { uid: number; gid: number };
}

/** A line of /etc/passwd: `name:x:uid:gid:gecos:home:shell`. */
export async function lookupPasswd(name: string, passwdFile = '/etc/passwd'): Promise<Omit<TaskUser, 'switchTo'> | undefined> {
  const text = await readFile(passwdFile, 'utf8');
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    return { name, uid, gid, home: f[5] || '/', shell: f[6] || '/bin/sh' };
  }
  return undefined;
}

/**
 * The user a task runs as. Switching users needs root: an agent running as
 * anyone else refuses `runAs` (other than its own name) with a clear error
 * rather than failing inside spawn with EPERM.
 */
export async function resolveTaskUser(
  runAs: string | undefined,
  self: { username: string; uid: number; gid: number; homedir: string; shell: string | null } = userInfo(),
): Promise<TaskUser> {
  const current: TaskUser = { name: self.username, uid: self.uid, gid: self.gid, home: self.homedir, shell: self.shell ?? '/bin/sh' };
  if (runAs === undefined || runAs === self.username) return current;
  if (self.uid !== 0) {
    throw new TaskSetupError(`runAs "${runAs}" needs the agent to run as root; it runs as ${self.username} (uid ${self.uid})`);
  }
  const entry = await lookupPasswd(runAs);
  if (!entry) throw new TaskSetupError(`runAs: no user "${runAs}" in /etc/passwd on this host`);
  // libuv drops supplementary groups (setgroups(0)) when it switches: the task gets the primary group only.
  return { ...entry, switchTo: { uid: entry.uid, gid: entry.gid } };
}

/**
 * The task's user must be able to reach its script through every directory
 * above it. Checked up front so a 0700 state dir gives a message that names
 * it, not "Permission denied" from bash.
 */
export async function assertTraversable(dir: string, user: TaskUser): Promise<void> {
  if (user.uid === 0) return;
  for (let d = dir; ; d = dirname(d)) {
    const s = await stat(d);
    const x = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & x) === 0) {
      const mode = (s.mode & 0o777).toString(8).padStart(4, '0');
      throw new TaskSetupError(`runAs "${user.name}": the agent's directory ${d} (mode ${mode}) is not traversable by that user; give it o+x (e.g. 0711)`);
    }
    if (d === dirname(d)) return;
  }
}
