// The Opsline side of `bench alerts`: one Alertmanager integration, and,
// all through the API, paging set up so a new alert labelled page="yes"
// reaches the bench's sink at once — incident settings (group wait 0, each
// alertname+instance its own group, storms off), loopback allowed by the
// outbound policy, a webhook channel on the sink, an escalation policy whose
// first level is that channel, and a routing rule sending page="yes" to it.
import { log } from '../scripts/lib.mjs';
import { postJson, sentAlert } from './_alert-load.mjs';
import { api } from './_server.mjs';

const LOOPBACK = '127.0.0.1';

/** Lets notifications reach 127.0.0.1 (it is, unless an admin denied it or listed only other hosts). */
async function allowLoopback(base, token) {
  const p = await api(base, 'GET', '/api/v1/channels/outbound-policy', { token });
  const next = { allow: p.allow.length && !p.allow.includes(LOOPBACK) ? [...p.allow, LOOPBACK] : p.allow, deny: p.deny.filter((d) => d !== LOOPBACK) };
  if (next.allow === p.allow && next.deny.length === p.deny.length) return;
  log(`bench alerts: outbound policy: allowing ${LOOPBACK}`);
  await api(base, 'PUT', '/api/v1/channels/outbound-policy', { token, body: next });
}

async function setUpPaging(base, token, sinkUrl) {
  const settings = await api(base, 'GET', '/api/v1/incidents/settings', { token });
  // stormPerMinute at its maximum: Alertmanager has no storms, and the bench sends far more than 100 new alerts a minute.
  await api(base, 'PUT', '/api/v1/incidents/settings', { token, body: { ...settings, groupWaitSeconds: 0, defaultGroupBy: ['alertname', 'instance'], stormPerMinute: 1_000_000 } });
  await allowLoopback(base, token);
  // The highest rate a channel takes: probes must not wait for a summary.
  const channel = await api(base, 'POST', '/api/v1/channels', { token, body: { name: 'bench sink', type: 'webhook', config: { url: sinkUrl }, ratePerMinute: 6000 } });
  const policy = await api(base, 'POST', '/api/v1/escalation-policies', { token, body: { name: 'bench', levels: [{ delayMinutes: 60, targets: [{ type: 'channel', id: channel.id }] }] } });
  await api(base, 'POST', '/api/v1/routing-rules', { token, body: { name: 'bench pages', match: { labels: [{ name: 'page', value: 'yes' }] }, escalationPolicyId: policy.id } });
}

/** Signs in to a started server (bench/_server.mjs), sets it up, and answers a bench target (see bench/_alert-load.mjs). */
export async function opslineTarget(name, server, sinkUrl) {
  const { base } = server;
  const { token } = await api(base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: server.password } });
  const integration = await api(base, 'POST', '/api/v1/integrations', {
    token, body: { name: 'bench', type: 'alertmanager', rateLimit: { perSecond: 100_000, burst: 1_000_000 } },
  });
  await setUpPaging(base, token, sinkUrl);
  const url = `${base}/api/v1/integrations/${integration.key}/alertmanager`;
  return {
    name,
    pid: server.pid,
    answersCounts: true,
    // As Alertmanager's webhook (v4) would post one group.
    body: (alerts) => JSON.stringify({
      version: '4', status: 'firing', receiver: 'opsline', groupLabels: {}, commonLabels: {}, commonAnnotations: {},
      alerts: alerts.map((a) => ({ status: 'firing', ...sentAlert(a), endsAt: '0001-01-01T00:00:00Z' })),
    }),
    post: async (body) => JSON.parse(await postJson(url, body, `${name} ingest`)),
  };
}
