import { z } from 'zod';

/**
 * The only reader of process.env. Every setting has an env var and a flag of
 * the same name (`--port 8080`, `--OPSLINE_PORT=8080`); flags win.
 */
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const SETTINGS = {
  OPSLINE_HOST: z.string().min(1).default('127.0.0.1'),
  OPSLINE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  OPSLINE_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(9090),
  OPSLINE_DATA_DIR: z.string().min(1).default('./data'),
  OPSLINE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  OPSLINE_SECRET_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex digits or base64')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  OPSLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPSLINE_TRUST_PROXY: z.string().max(1000).optional(),
  OPSLINE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(43_200).default(120),
  OPSLINE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  OPSLINE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  OPSLINE_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  OPSLINE_SECURE_COOKIES: Bool.default(false),
  OPSLINE_WEB_DIR: z.string().min(1).optional(),
  OPSLINE_GRPC_TLS_CERT: z.string().min(1).optional(),
  OPSLINE_GRPC_TLS_KEY: z.string().min(1).optional(),
  /** Outgoing mail for notifications: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. */
  OPSLINE_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  OPSLINE_SMTP_FROM: z.string().min(3).max(256).default('Opsline <opsline@localhost>'),
  /** The console's address as users reach it, for links in notifications; default http://<host>:<port>. */
  OPSLINE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
} as const;

type SettingName = keyof typeof SETTINGS;

export interface Config {
  host: string;
  port: number;
  grpcPort: number;
  dataDir: string;
  adminPassword: string | undefined;
  secretKey: string | undefined;
  databaseUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed, or `true`. */
  trustProxy: string | boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  secureCookies: boolean;
  /** Where the built console lives; default packages/web/dist. */
  webDir: string | undefined;
  /** PEM files: with both, agents connect over TLS (grpcs://). */
  grpcTls: { certFile: string; keyFile: string } | undefined;
  smtp: { url: string; from: string } | undefined;
  /** Where users open the console (no trailing slash): links in notifications start with it. */
  publicUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `--port` and `--OPSLINE_PORT` both name OPSLINE_PORT; `--database-url` names DATABASE_URL. */
function flagToSetting(flag: string): SettingName | undefined {
  const upper = flag.replace(/-/g, '_').toUpperCase();
  const candidates = [upper, `OPSLINE_${upper}`];
  return candidates.find((c): c is SettingName => c in SETTINGS);
}

export function parseFlags(argv: readonly string[]): { values: Record<string, string>; rest: string[]; problems: string[] } {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    const name = flagToSetting(flag);
    if (!name) {
      problems.push(`--${flag}: unknown flag`);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) problems.push(`--${flag}: needs a value`);
    else values[name] = value;
  }
  return { values, rest, problems };
}

export function loadConfig(env: Record<string, string | undefined>, flags: Record<string, string> = {}): Config {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(SETTINGS)) {
    const v = flags[name] ?? env[name];
    raw[name] = v === '' ? undefined : v;
  }
  const parsed = z.object(SETTINGS).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const s = parsed.data;
  const trust = s.OPSLINE_TRUST_PROXY;
  if ((s.OPSLINE_GRPC_TLS_CERT === undefined) !== (s.OPSLINE_GRPC_TLS_KEY === undefined)) {
    throw new ConfigError(['OPSLINE_GRPC_TLS_CERT and OPSLINE_GRPC_TLS_KEY go together: give both PEM files, or neither']);
  }
  return Object.freeze({
    host: s.OPSLINE_HOST,
    port: s.OPSLINE_PORT,
    grpcPort: s.OPSLINE_GRPC_PORT,
    dataDir: s.OPSLINE_DATA_DIR,
    adminPassword: s.OPSLINE_ADMIN_PASSWORD,
    secretKey: s.OPSLINE_SECRET_KEY,
    databaseUrl: s.DATABASE_URL,
    logLevel: s.OPSLINE_LOG_LEVEL,
    trustProxy: trust === undefined ? false : trust === 'true' ? true : trust,
    sessionIdleMinutes: s.OPSLINE_SESSION_IDLE_MINUTES,
    sessionMaxHours: s.OPSLINE_SESSION_MAX_HOURS,
    loginMaxFailures: s.OPSLINE_LOGIN_MAX_FAILURES,
    loginLockMinutes: s.OPSLINE_LOGIN_LOCK_MINUTES,
    secureCookies: s.OPSLINE_SECURE_COOKIES,
    webDir: s.OPSLINE_WEB_DIR,
    grpcTls: s.OPSLINE_GRPC_TLS_CERT && s.OPSLINE_GRPC_TLS_KEY ? { certFile: s.OPSLINE_GRPC_TLS_CERT, keyFile: s.OPSLINE_GRPC_TLS_KEY } : undefined,
    smtp: s.OPSLINE_SMTP_URL ? { url: s.OPSLINE_SMTP_URL, from: s.OPSLINE_SMTP_FROM } : undefined,
    publicUrl: (s.OPSLINE_PUBLIC_URL ?? `http://${s.OPSLINE_HOST.includes(':') ? `[${s.OPSLINE_HOST}]` : s.OPSLINE_HOST}:${s.OPSLINE_PORT}`).replace(/\/+$/, ''),
  });
}
