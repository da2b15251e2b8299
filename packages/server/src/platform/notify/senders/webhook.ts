import { postJson, type Sender } from './sender.js';

/** A generic webhook: the message as JSON, with the channel's headers. */
export const sendWebhook: Sender = async (input) => {
  const c = input.config as { url: string; headers?: Record<string, string> };
  const m = input.msg;
  const res = await postJson(input, c.url, {
    title: m.title, text: m.text, severity: m.severity, link: m.link ?? null, ackLink: m.ackLink ?? null, resolveLink: m.resolveLink ?? null,
    source: m.source, dedupKey: m.dedupKey ?? null, action: m.action ?? 'trigger', at: m.at.toISOString(),
  }, c.headers ?? {});
  return { status: res.status, answer: res.body };
};
