import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { PlatformServices } from '../../platform/services.js';
import type { AgentsModule } from '../agents/index.js';
import { jobsRepo, type RunHostRow, type RunRow } from './jobs.repo.js';
import { RunDriver } from './run-driver.js';

/** A server holds a run this long without renewing; another adopts it after. */
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

/**
 * The runs this server drives. A run is driven by one server at a time: the
 * one that started (or resumed) it holds a lease in the database, renews it
 * while it drives, and a server that finds a lease run out — its holder
 * stopped or died — adopts the run and carries on from the database.
 */
export function createRunManager(deps: { platform: PlatformServices; exec: AgentsModule['exec'] }) {
  const { platform } = deps;
  const serverId = randomUUID();
  const drivers = new Map<string, RunDriver>();
  /** Emits a run's id when it changed here (a driver step) or elsewhere (its job.run.* events). */
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let timer: NodeJS.Timeout | undefined;

  const leaseUntil = (): Date => new Date(platform.clock.now().getTime() + LEASE_MS);

  function drive(run: RunRow, hosts: RunHostRow[]): RunDriver {
    drivers.get(run.id)?.stop();
    const driver = new RunDriver(run, hosts, {
      platform, exec: deps.exec, onEnd: (id) => drivers.get(id) === driver && drivers.delete(id), changed: (id) => changes.emit(id),
    });
    drivers.set(run.id, driver);
    void driver.recover();
    return driver;
  }

  /** Loads in flight, so two pokes in a row do not start two drivers. */
  const loading = new Map<string, Promise<void>>();
  function load(id: string): Promise<void> {
    const already = loading.get(id);
    if (already) return already;
    const p = (async () => {
      const run = await jobsRepo.runById(platform.db, id);
      if (!run || run.owner !== serverId || drivers.has(id)) return;
      drive(run, await jobsRepo.runHosts(platform.db, id));
    })().finally(() => loading.delete(id));
    loading.set(id, p);
    return p;
  }

  /** Takes over runs nobody holds, and keeps the leases of those driven here. */
  async function tend(first = false): Promise<void> {
    const held = await jobsRepo.renewLeases(platform.db, serverId, [...drivers.keys()], leaseUntil());
    for (const id of drivers.keys()) if (!held.includes(id)) drivers.get(id)?.stop();
    // Embedded storage has one server: at start-up every open run is ours, whatever lease the last process left.
    const anyLease = first && platform.dbKind === 'pglite';
    for (const id of await jobsRepo.adoptRuns(platform.db, serverId, platform.clock.now(), leaseUntil(), anyLease)) {
      if (!drivers.has(id)) await load(id);
    }
  }

  return {
    serverId,
    leaseUntil,
    drive,
    /** Calls `fn` when the run changes; answers the unsubscribe. */
    watch(id: string, fn: () => void): () => void {
      changes.on(id, fn);
      return () => changes.off(id, fn);
    },
    /** Something changed a run (an action here, or an event from another server): its driver looks again. */
    poke(id: string): void {
      changes.emit(id);
      const driver = drivers.get(id);
      if (driver) driver.kick();
      else void load(id).catch((err: unknown) => platform.log.error({ err, runId: id }, 'could not take up a job run'));
    },
    /** Kills the tasks of a run that this server's agents run (every server does this on the kill event). */
    async killTasksHere(id: string, by: string): Promise<void> {
      for (const h of await jobsRepo.runHosts(platform.db, id)) if (h.status === 'running' && h.taskId) deps.exec.killHere(h.taskId, by);
    },
    start(): void {
      let first = true;
      const loop = (): void => {
        tend(first)
          .catch((err: unknown) => platform.log.warn({ err }, 'could not tend job runs'))
          .finally(() => {
            first = false;
            timer = setTimeout(loop, RENEW_MS);
            timer.unref();
          });
      };
      loop();
    },
    stop(): void {
      clearTimeout(timer);
      for (const d of drivers.values()) d.stop();
      drivers.clear();
    },
    driving: (id: string): boolean => drivers.has(id),
  };
}

export type RunManager = ReturnType<typeof createRunManager>;
