import { createHash } from 'node:crypto';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** Where and as whom to reach an agentless host. */
export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  /** PEM or OpenSSH private key text. */
  privateKey?: string;
  passphrase?: string;
  /**
   * The host key's SHA-256 fingerprint as `ssh-keygen -l` prints it
   * (`SHA256:…`, the prefix optional). When given, any other key is refused.
   */
  hostKeySha256?: string;
  /** Connect, handshake and sign-in must finish within this; default 20 s. */
  readyTimeoutMs?: number;
}

export const DEFAULT_READY_TIMEOUT_MS = 20_000;
/** Probes an idle connection so a host that vanished without a FIN is noticed (after about 3 intervals). */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
/** Output kept from the small helper commands (mktemp, copy, kill): they print a line or an error. */
const HELPER_OUTPUT_BYTES = 64 * 1024;

/** The connection could not be made; the message names the cause for a person. */
export class SshConnectError extends Error {
  override readonly name = 'SshConnectError';
}

/** The connection ended while something still needed it. */
export class SshLostError extends Error {
  override readonly name = 'SshLostError';
}

/** `SHA256:<base64, unpadded>`, the form OpenSSH shows. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function normalizePin(pin: string): string {
  return `SHA256:${pin.trim().replace(/^SHA256:/i, '').replace(/=+$/, '')}`;
}

/** A started command. Its end is tracked from the moment the channel opens (see exec). */
export interface ExecHandle {
  channel: ClientChannel;
  /** Resolves with the exit status, or the signal (`SIGTERM`) that ended the command. */
  exited: Promise<ExitStatus>;
  /** Resolves once the channel has closed. */
  closed: Promise<void>;
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

export interface HelperResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An open, signed-in connection. Every method rejects with SshLostError once it has closed. */
export interface SshConnection {
  /** Resolves with the reason when the connection ends (also after end()). */
  readonly closed: Promise<string>;
  /** Starts a command; the caller reads the channel. */
  exec(command: string): Promise<ExecHandle>;
  /** Runs a short command to its end; keeps the first 64 KiB of each stream. */
  run(command: string): Promise<HelperResult>;
  /** Writes files over SFTP, each created exclusively (never through an existing file or link) with `mode`. */
  writeFiles(files: { path: string; data: string; mode: number }[]): Promise<void>;
  end(): void;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  keepaliveIntervalMs?: number;
}

/**
 * Connects and signs in. Rejects with SshConnectError naming the cause:
 * refused, unresolvable or unreachable host, timeout, failed authentication,
 * host key mismatch, unreadable private key. An abort rejects with the
 * signal's reason.
 */
export function connectSsh(target: SshTarget, options: ConnectOptions = {}): Promise<SshConnection> {
  const where = `${target.host}:${target.port}`;
  const readyTimeout = target.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  if (target.password === undefined && target.privateKey === undefined) {
    return Promise.reject(new SshConnectError(`no SSH credential for ${target.username}@${where}: give a password or a private key`));
  }
  const pin = target.hostKeySha256 === undefined ? undefined : normalizePin(target.hostKeySha256);
  let presentedKey: string | undefined;
  const client = new Client();
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    privateKey: target.privateKey,
    passphrase: target.passphrase,
    readyTimeout,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: 3,
    tryKeyboard: false,
    hostVerifier: (key: Buffer) => {
      presentedKey = hostKeyFingerprint(key);
      return pin === undefined || presentedKey === pin;
    },
  };
  const describe = (err: Error & { code?: string; level?: string }): string => {
    if (pin !== undefined && presentedKey !== undefined && presentedKey !== pin) {
      return `host key mismatch for ${where}: expected ${pin}, the server presented ${presentedKey}; refusing to connect (if the host's key really changed, update the pinned fingerprint)`;
    }
    const bySocketError: Record<string, string> = {
      ECONNREFUSED: `cannot connect to ${where}: connection refused (no SSH server listening there?)`,
      ENOTFOUND: `cannot resolve host name ${target.host}`,
      EAI_AGAIN: `cannot resolve host name ${target.host}`,
      EHOSTUNREACH: `cannot connect to ${where}: host unreachable`,
      ENETUNREACH: `cannot connect to ${where}: host unreachable`,
      ETIMEDOUT: `cannot connect to ${where}: timed out`,
      ECONNRESET: `connection to ${where} reset during the SSH handshake`,
    };
    const socketError = err.code === undefined ? undefined : bySocketError[err.code];
    if (socketError !== undefined) return socketError;
    if (err.level === 'client-timeout') return `SSH connection to ${where} timed out after ${readyTimeout} ms (no handshake or sign-in in time)`;
    if (err.level === 'client-authentication') {
      const methods = [target.privateKey !== undefined && 'private key', target.password !== undefined && 'password'].filter(Boolean).join(' and ');
      return `SSH authentication failed for user "${target.username}" on ${where} (tried ${methods})`;
    }
    return `SSH connection to ${where} failed: ${err.message}`;
  };

  return new Promise<SshConnection>((resolve, reject) => {
    let ready = false;
    const onAbort = () => {
      client.end();
      reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let lastError = '';
    client.on('error', (err: Error & { code?: string; level?: string }) => {
      if (ready) {
        lastError = err.message;
        return;
      }
      options.signal?.removeEventListener('abort', onAbort);
      client.end();
      reject(new SshConnectError(describe(err)));
    });
    const closed = new Promise<string>((resolveClosed) =>
      client.once('close', () => {
        options.signal?.removeEventListener('abort', onAbort);
        // Before 'ready' a close without an error still must settle the connect promise.
        if (!ready) reject(new SshConnectError(`SSH connection to ${where} closed during the handshake`));
        resolveClosed(lastError ? `connection to ${where} lost: ${lastError}` : `connection to ${where} closed`);
      }),
    );
    client.once('ready', () => {
      ready = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(wrap(client, closed));
    });
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 parses the key synchronously: a bad key or passphrase throws here.
      options.signal?.removeEventListener('abort', onAbort);
      reject(new SshConnectError(`cannot use the private key for ${target.username}@${where}: ${(err as Error).message}`));
    }
  });
}

function wrap(client: Client, closed: Promise<string>): SshConnection {
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  /** Settles with `work`, or rejects with SshLostError once the connection has closed. */
  const guard = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([
      work,
      closed.then((reason) => {
        throw new SshLostError(reason);
      }),
    ]);
  const exec = (command: string) =>
    guard(
      new Promise<ExecHandle>((resolve, reject) => {
        if (isClosed) return reject(new SshLostError('connection closed'));
        client.exec(command, (err, channel) => {
          if (err) return reject(err);
          // Listen now, not after an await: a quick command's exit status and
          // close can arrive in the same read as the channel's opening and
          // are emitted at once (its output waits in the streams).
          const exited = new Promise<ExitStatus>((r) =>
            channel.once('exit', (code: number | null, signal?: string) => r({ code: typeof code === 'number' ? code : null, signal: signal ? `SIG${signal}` : null })),
          );
          const closed = new Promise<void>((r) => channel.once('close', () => r()));
          channel.on('error', () => undefined);
          resolve({ channel, exited, closed });
        });
      }),
    );

  return {
    closed,
    exec,
    run: async (command) => {
      const { channel, exited, closed: channelClosed } = await exec(command);
      channel.end();
      const keep = (chunks: Buffer[], size: { n: number }) => (d: Buffer) => {
        if (size.n >= HELPER_OUTPUT_BYTES) return;
        chunks.push(d);
        size.n += d.length;
      };
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      channel.on('data', keep(out, { n: 0 }));
      channel.stderr.on('data', keep(err, { n: 0 }));
      await guard(channelClosed);
      // The exit status precedes the close; a host that sends none leaves the code unknown.
      const { code } = await Promise.race([exited, Promise.resolve({ code: null })]);
      return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    },
    writeFiles: (files) =>
      guard(
        new Promise<void>((resolve, reject) => {
          client.sftp((err, sftp) => {
            if (err) return reject(new Error(`cannot open SFTP (is the sftp subsystem enabled in sshd?): ${err.message}`));
            const done = (e?: Error) => {
              sftp.end();
              if (e) reject(e);
              else resolve();
            };
            const next = (i: number) => {
              const file = files[i];
              if (!file) return done();
              sftp.writeFile(file.path, file.data, { mode: file.mode, flag: 'wx' }, (e) =>
                e ? done(new Error(`cannot write ${file.path} over SFTP: ${e.message}`)) : next(i + 1),
              );
            };
            next(0);
          });
        }),
      ),
    end: () => client.end(),
  };
}
