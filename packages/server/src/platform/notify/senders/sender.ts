import type { HttpAnswer } from '../outbound.js';

/** A message as a channel sends it: rendered through the channel's template, links made absolute. */
export interface Outgoing {
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  source: string;
  link?: string | undefined;
  ackLink?: string | undefined;
  resolveLink?: string | undefined;
  dedupKey?: string | undefined;
  action?: 'trigger' | 'resolve' | undefined;
  at: Date;
}

export interface SendInput<C = Record<string, unknown>> {
  /** The channel's config, its secret fields opened and merged in. */
  config: C;
  msg: Outgoing;
  /** Guarded outbound HTTP (the metadata rule and the admins' lists apply). */
  http: (method: 'POST' | 'PUT', url: string, headers: Record<string, string>, body: string) => Promise<HttpAnswer>;
  smtp: { url: string; from: string } | undefined;
}

/** What a successful send answers: the peer's HTTP status (when HTTP) and what it said. */
export interface SendOutcome {
  status: number | null;
  answer: string;
}

/** A send the peer refused or that could not happen, with the peer's status and answer when there was one. */
export class SendFailed extends Error {
  constructor(message: string, readonly status: number | null = null, readonly answer = '') {
    super(message);
  }
}

export type Sender = (input: SendInput) => Promise<SendOutcome>;

/** POSTs JSON; any non-2xx is a failure naming the status. */
export async function postJson(input: SendInput, url: string, payload: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await input.http('POST', url, { ...headers, 'content-type': 'application/json' }, JSON.stringify(payload));
  if (res.status < 200 || res.status >= 300) throw new SendFailed(`the peer answered ${res.status}`, res.status, res.body);
  return res;
}

/** Robots (DingTalk, WeCom, Feishu) answer 200 with an error code in the body: 0 is success. */
export function robotAnswer(res: HttpAnswer, codeField: string, messageField: string): SendOutcome {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw new SendFailed('the robot answered something that is not JSON', res.status, res.body);
  }
  const code = parsed[codeField] ?? parsed.StatusCode;
  const said = parsed[messageField] ?? parsed.StatusMessage;
  if (code !== 0) throw new SendFailed(`the robot refused it (${JSON.stringify(code ?? null)}): ${typeof said === 'string' ? said : JSON.stringify(said ?? '')}`, res.status, res.body);
  return { status: res.status, answer: res.body };
}

/** The message's links as markdown lines (console link, acknowledge, resolve). */
export function markdownLinks(msg: Outgoing, labels: { open: string; ack: string; resolve: string }): string {
  const links = [
    msg.link ? `[${labels.open}](${msg.link})` : '',
    msg.ackLink ? `[${labels.ack}](${msg.ackLink})` : '',
    msg.resolveLink ? `[${labels.resolve}](${msg.resolveLink})` : '',
  ].filter(Boolean);
  return links.join('  ');
}
