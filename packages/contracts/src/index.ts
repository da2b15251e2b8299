/** @opsline/contracts: the API's schemas and types, event names and the error registry. */
export * from './errors.js';
export * from './common.js';
export * from './permissions.js';
export * from './users.js';
export * from './auth.js';
export * from './teams.js';
export * from './roles.js';
export * from './grants.js';
export * from './audit.js';
export * from './events.js';
export * from './health.js';
export * from './secrets.js';
export * from './tree.js';
export * from './cmdb-common.js';
export * from './hosts.js';
export * from './apps.js';
export * from './exec.js';
