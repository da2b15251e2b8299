/** Every table, for drizzle-kit (migrations) and the typed database handle. */
export * from '../identity/identity.tables.js';
export * from '../auth/auth.tables.js';
export * from '../rbac/rbac.tables.js';
export * from '../audit/audit.tables.js';
export * from '../events/events.tables.js';
export * from '../secrets/secrets.tables.js';
export * from '../notify/notify.tables.js';
export * from '../scheduler/scheduler.tables.js';
export * from '../../modules/tree/tree.tables.js';
export * from '../../modules/tree/host.tables.js';
export * from '../../modules/tree/app.tables.js';
export * from '../../modules/agents/agent.tables.js';
export * from '../../modules/scripts/scripts.tables.js';
export * from '../../modules/jobs/jobs.tables.js';
export * from '../../modules/workflows/workflows.tables.js';
