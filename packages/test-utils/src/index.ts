/** @opsline/test-utils: the real app on a fresh database, and helpers that wait on conditions. */
export { buildTestApp, uniqueName, ADMIN_PASSWORD, type TestApp, type CallOptions, type TestAppOptions } from './test-app.js';
export { createTestDatabase, testDbKind, type TestDatabase } from './test-database.js';
export { waitFor } from './wait.js';
export { treeFixtures } from './tree-fixtures.js';
export { sshPeerEnv } from './ssh-peer.js';
export { jobFixtures, type Fleet } from './fleet-fixtures.js';
export { startHttpSink, type HttpSink, type SinkRequest, type SinkAnswer } from './http-sink.js';
export { startAlertmanager, alertmanagerBin, type AlertmanagerPeer, type AlertmanagerOptions, type PostableAlert } from './alertmanager-peer.js';
