import { CHANNEL_RATE_DEFAULTS, CHANNEL_SECRET_FIELDS, type ChannelType, type ChannelView } from '@opsline/contracts';
import type { SecretBox } from '../secrets/secret-box.js';
import type { notifyChannels } from './notify.tables.js';

export type ChannelRow = typeof notifyChannels.$inferSelect;
const SEAL = 'notify.channel';
/** Webhook headers sealed before migration 0013: `v0:` + the headers record sealed under the old context. */
const LEGACY = 'v0:';
const LEGACY_SEAL = 'notify.headers';

/** A config split into what is stored plainly and what is sealed. */
export function splitConfig(type: ChannelType, config: Record<string, unknown>): { plain: Record<string, unknown>; secrets: Record<string, unknown> } {
  const secretNames = CHANNEL_SECRET_FIELDS[type];
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (secretNames.includes(k)) secrets[k] = v;
    else plain[k] = v;
  }
  return { plain, secrets };
}

/** Sealed bound to the channel's id: a sealed value copied to another channel will not open. */
export function sealSecrets(box: SecretBox, channelId: string, secrets: Record<string, unknown>): string | null {
  return Object.keys(secrets).length ? box.seal(JSON.stringify(secrets), `${SEAL}:${channelId}`) : null;
}

export function openSecrets(box: SecretBox, row: Pick<ChannelRow, 'id' | 'sealedConfig'>): Record<string, unknown> {
  const sealed = row.sealedConfig;
  if (!sealed) return {};
  if (sealed.startsWith(LEGACY)) return { headers: JSON.parse(box.open(sealed.slice(LEGACY.length), LEGACY_SEAL)) as unknown };
  return JSON.parse(box.open(sealed, `${SEAL}:${row.id}`)) as Record<string, unknown>;
}

/** Where a channel sends, safe to show: a host name, or the mail addresses. */
function target(type: ChannelType, plain: Record<string, unknown>, secrets: Record<string, unknown>): string {
  if (type === 'email') return ((plain.to as string[] | undefined) ?? []).join(', ');
  if (type === 'pagerduty') return new URL(typeof plain.url === 'string' ? plain.url : 'https://events.pagerduty.com').host;
  const url = plain.url ?? secrets.url;
  try {
    return typeof url === 'string' ? new URL(url).host : '';
  } catch {
    return '';
  }
}

export function channelView(row: ChannelRow, box: SecretBox): ChannelView {
  const type = row.type as ChannelType;
  const secrets = openSecrets(box, row);
  return {
    id: row.id, name: row.name, type, enabled: row.enabled, config: row.config, secretsSet: Object.keys(secrets).sort(),
    target: target(type, row.config, secrets), ratePerMinute: row.ratePerMinute ?? CHANNEL_RATE_DEFAULTS[type], template: row.template ?? null,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}
