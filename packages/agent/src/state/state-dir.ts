import { chmod, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The files and dirs of an agent's state dir. */
export interface StatePaths {
  root: string;
  identity: string;
  /** The id of an enrollment under way (see enrollment-request.ts), until the identity is stored. */
  enrollmentRequest: string;
  /** One JSON record per accepted task, until the server acks its result. */
  tasks: string;
  /** Ids (and outcomes) of finished tasks whose results the server acked. */
  finishedJournal: string;
  /** The executor's scratch: one private dir per running task. */
  tmp: string;
  lock: string;
}

export function statePaths(root: string): StatePaths {
  return {
    root,
    identity: join(root, 'identity.json'),
    enrollmentRequest: join(root, 'enrollment-request.json'),
    tasks: join(root, 'tasks'),
    finishedJournal: join(root, 'finished-tasks.jsonl'),
    tmp: join(root, 'tmp'),
    lock: join(root, 'agent.lock'),
  };
}

/**
 * Creates the state dir 0711 and `tasks/` 0700. 0711, not 0700: a task run
 * as another user must pass through it to reach its script under `tmp/`
 * (executor/run-as.ts checks that); nobody else can list it. An existing dir
 * the agent owns is set to 0711 too, so a dir made by hand with 0700 does not
 * break run-as later with a puzzling error.
 */
export async function prepareStateDir(paths: StatePaths): Promise<void> {
  await mkdir(paths.root, { recursive: true, mode: 0o711 });
  const s = await stat(paths.root);
  if (s.uid === process.getuid?.() && (s.mode & 0o777) !== 0o711) await chmod(paths.root, 0o711);
  await mkdir(paths.tasks, { recursive: true, mode: 0o700 });
}

/** State dirs held by agents of this process (many agents may share one process, never one dir). */
const heldInProcess = new Set<string>();

/**
 * Makes sure one agent at a time uses a state dir: two would report each
 * other's running tasks as lost and kill them. The lock file holds the pid;
 * a lock left by a dead process is taken over.
 */
export async function lockStateDir(paths: StatePaths): Promise<() => Promise<void>> {
  if (heldInProcess.has(paths.root)) throw new StateDirBusyError(paths.root, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(paths.lock, 'wx', 0o600);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = Number((await readFile(paths.lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processExists(holder)) {
        throw new StateDirBusyError(paths.root, holder);
      }
      // Stale (its process is gone, or it was ours before a restart in this process): take it over.
      await rm(paths.lock, { force: true });
    }
  }
  heldInProcess.add(paths.root);
  return async () => {
    heldInProcess.delete(paths.root);
    await rm(paths.lock, { force: true });
  };
}

export class StateDirBusyError extends Error {
  override readonly name = 'StateDirBusyError';
  constructor(dir: string, pid: number) {
    super(`another agent (pid ${pid}) is using the state dir ${dir}; give each agent its own --state-dir`);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
