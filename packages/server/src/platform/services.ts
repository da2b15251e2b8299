import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import type { Database } from './db/db.js';
import { createAuditService } from './audit/audit.service.js';
import { createMutationRunner } from './audit/mutation.js';
import { createCredentialService } from './auth/credentials.service.js';
import { createLoginGuard } from './auth/login-guard.js';
import { EventBus } from './events/event-bus.js';
import { localFanout, type Fanout } from './events/fanout.js';
import { createEventService, type EventMeta } from './events/events.service.js';
import type { EventName, EventPayload, EventView } from '@opsline/contracts';
import { createTeamService } from './identity/teams.service.js';
import { createUserService } from './identity/users.service.js';
import { createRbacService } from './rbac/rbac.service.js';
import { createScheduler } from './scheduler/scheduler.js';
import { SecretBox, loadMasterKey } from './secrets/secret-box.js';
import { createSecretService } from './secrets/secrets.service.js';
import { createNotifyService } from './notify/notify.service.js';

/** The platform's services, built once per app from the config, the database, a clock and a logger. */
export function createPlatformServices(deps: { config: Config; database: Database; clock: Clock; log: FastifyBaseLogger }) {
  const { config, clock, log } = deps;
  const db = deps.database.db;
  const bus = new EventBus((err) => log.error({ err }, 'event listener failed'));
  const audit = createAuditService({ db, clock });
  const events = createEventService({ db, clock });
  const credentials = createCredentialService({ db, clock, policy: config, log });
  const rbac = createRbacService({ db, clock });
  const box = new SecretBox(loadMasterKey(config.secretKey, config.dataDir));
  let fanout: Fanout = localFanout;
  const announce = async <N extends EventName>(type: N, payload: EventPayload<N>, meta: EventMeta): Promise<void> => {
    const event = await events.append(db, type, payload, meta);
    bus.publish(event);
    fanout.afterCommit([event.id], false);
  };
  return {
    config,
    /** Append an event that belongs to no audited change (a lockout, the server starting) and publish it. */
    announce,
    /** Publish events the caller appended in its own transaction, once it has committed (alert ingest: no audited actor). */
    publish(committed: EventView[]): void {
      for (const e of committed) bus.publish(e);
      fanout.afterCommit(committed.map((e) => e.id), false);
    },
    clock,
    log,
    db,
    dbKind: deps.database.kind,
    bus,
    audit,
    events,
    credentials,
    rbac,
    loginGuard: createLoginGuard({ db, clock, policy: config }),
    users: createUserService({ db, clock, rbac, credentials }),
    teams: createTeamService({ db, clock, rbac }),
    secrets: createSecretService({ db, clock, box }),
    /** Notification channels, the outbound policy and deliveries (a worker sends them), for job alerts and on-call. */
    notify: createNotifyService({ db, clock, box, log, smtp: config.smtp, publicUrl: config.publicUrl }),
    /** Seals values other modules must keep encrypted at rest (task environments, SSH credentials). */
    box,
    scheduler: createScheduler({ db, clock, log }),
    mutations: createMutationRunner({ db, audit, events, bus, fanout: () => fanout }),
    /** Several servers on one PostgreSQL: app.ts installs the LISTEN/NOTIFY fan-out. */
    setFanout(f: Fanout): void {
      fanout = f;
    },
  };
}

export type PlatformServices = ReturnType<typeof createPlatformServices>;
