import { postJson, type Sender } from './sender.js';

const EVENTS_V2 = 'https://events.pagerduty.com/v2/enqueue';

/** PagerDuty Events API v2: trigger (or resolve) an event deduplicated by the message's key. */
export const sendPagerDuty: Sender = async (input) => {
  const c = input.config as { routingKey: string; url?: string };
  const m = input.msg;
  const action = m.action ?? 'trigger';
  const body = {
    routing_key: c.routingKey,
    event_action: action,
    ...(m.dedupKey ? { dedup_key: m.dedupKey } : {}),
    ...(action === 'trigger' ? {
      payload: { summary: m.title.slice(0, 1024), source: m.source, severity: m.severity, timestamp: m.at.toISOString(), custom_details: { text: m.text } },
      client: 'Opsline',
      ...(m.link ? { client_url: m.link, links: [{ href: m.link, text: 'Open in Opsline' }] } : {}),
    } : {}),
  };
  const res = await postJson(input, c.url ?? EVENTS_V2, body);
  return { status: res.status, answer: res.body };
};
