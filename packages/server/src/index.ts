/** @opsline/server: build the app (tests, embedding) without listening. */
export { buildApp, type BuildOptions } from './app.js';
export { loadConfig, ConfigError, parseFlags, type Config } from './config.js';
export { openDatabase, type Database, type Db } from './platform/db/db.js';
export { ManualClock, systemClock, type Clock, MINUTE, HOUR, DAY } from './platform/clock.js';
export { bootstrapPlatform } from './platform/bootstrap.js';
export type { PlatformServices } from './platform/services.js';
