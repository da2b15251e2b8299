import {
  CreateHostBody,
  Disk,
  Hostname,
  IpAddress,
  type HostStatus,
  type HostView,
  type NodeRef,
  type UpdateHostBody,
} from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { bindHosts, createHost, getHost, unbindHosts, updateHost } from '../../../api/hosts';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { labelRecord, labelRows, labelsRule, type KeyValueRow } from '../shared/labels';
import { firstRepeated, rowsRule } from '../shared/rows';

/** A disk row while editing: the size is empty until typed. */
export interface DiskRow {
  mount: string;
  sizeGb: number | null;
}

/** The host form's model: lists as rows, so editing keeps their order. */
export interface HostModel {
  hostname: string;
  ips: string[];
  os: string;
  cpuCores: number | null;
  memoryMb: number | null;
  disks: DiskRow[];
  labels: KeyValueRow[];
  status: HostStatus;
  ownerId: string | null;
  nodeIds: string[];
}

/** The form filled from `host`, or empty for a new one bound to `nodes`. */
export function hostModel(host: HostView | null, nodes: readonly NodeRef[] = []): HostModel {
  return {
    hostname: host?.hostname ?? '',
    ips: host ? [...host.ips] : [],
    os: host?.os ?? '',
    cpuCores: host?.cpuCores ?? null,
    memoryMb: host?.memoryMb ?? null,
    disks: host ? host.disks.map((d) => ({ ...d })) : [],
    labels: labelRows(host?.labels),
    status: host?.status ?? 'unknown',
    ownerId: host?.owner?.id ?? null,
    nodeIds: (host?.nodes ?? nodes).map((n) => n.id),
  };
}

const isBlankDisk = (d: DiskRow): boolean => d.mount.trim() === '' && d.sizeGb === null;
const disksOf = (rows: readonly DiskRow[]): Disk[] =>
  rows.filter((d) => !isBlankDisk(d)).map((d) => ({ mount: d.mount.trim(), sizeGb: d.sizeGb ?? 0 }));

function diskProblem(rows: readonly DiskRow[]): string | null {
  const { t } = i18n.global;
  const filled = rows.filter((d) => !isBlankDisk(d));
  for (const d of filled) {
    if (!Disk.safeParse({ mount: d.mount.trim(), sizeGb: d.sizeGb ?? 0 }).success) return t('hosts.diskInvalid', { mount: d.mount || '?' });
  }
  const repeated = firstRepeated(filled.map((d) => d.mount.trim()));
  return repeated === null ? null : t('hosts.diskRepeated', { mount: repeated });
}

function ipProblem(ips: readonly string[]): string | null {
  const { t } = i18n.global;
  if (ips.length === 0) return t('hosts.ipRequired');
  const bad = ips.find((ip) => !IpAddress.safeParse(ip).success);
  if (bad !== undefined) return t('hosts.ipInvalid', { ip: bad });
  const repeated = firstRepeated(ips);
  return repeated === null ? null : t('hosts.ipRepeated', { ip: repeated });
}

export function hostRules(): FormRules {
  const ips: FormItemRule = { ...rowsRule<string>(ipProblem), required: true };
  return {
    hostname: schemaRule(Hostname, { required: true, formatKey: 'hosts.hostnameFormat' }),
    ips,
    os: schemaRule(CreateHostBody.shape.os),
    cpuCores: schemaRule(CreateHostBody.shape.cpuCores),
    memoryMb: schemaRule(CreateHostBody.shape.memoryMb),
    disks: rowsRule<DiskRow>(diskProblem),
    labels: labelsRule(),
  };
}

function createBody(m: HostModel): CreateHostBody {
  return {
    hostname: m.hostname.trim(),
    ips: m.ips,
    os: m.os.trim() || undefined,
    cpuCores: m.cpuCores,
    memoryMb: m.memoryMb,
    disks: disksOf(m.disks),
    labels: labelRecord(m.labels),
    status: m.status,
    ownerId: m.ownerId,
    nodeIds: m.nodeIds,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed, so the audit record and the event name real changes. */
function changes(host: HostView, m: HostModel): UpdateHostBody {
  const body: UpdateHostBody = {};
  if (m.hostname.trim().toLowerCase() !== host.hostname) body.hostname = m.hostname.trim();
  if (!same(m.ips, host.ips)) body.ips = m.ips;
  if (m.os.trim() !== host.os) body.os = m.os.trim();
  if (m.cpuCores !== host.cpuCores) body.cpuCores = m.cpuCores;
  if (m.memoryMb !== host.memoryMb) body.memoryMb = m.memoryMb;
  const disks = disksOf(m.disks);
  if (!same(disks, host.disks)) body.disks = disks;
  const labels = labelRecord(m.labels);
  if (!same(labels, host.labels)) body.labels = labels;
  if (m.status !== host.status) body.status = m.status;
  if (m.ownerId !== (host.owner?.id ?? null)) body.ownerId = m.ownerId;
  return body;
}

/**
 * Creates the host, or saves the changed fields and then its bindings (which
 * have their own endpoints: bind to the added leaves, unbind from the removed).
 */
export async function saveHost(host: HostView | null, m: HostModel): Promise<HostView> {
  if (!host) return createHost(createBody(m));
  const body = changes(host, m);
  let saved = Object.keys(body).length > 0 ? await updateHost(host.id, body) : host;
  const before = host.nodes.map((n) => n.id);
  const added = m.nodeIds.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !m.nodeIds.includes(id));
  for (const nodeId of added) await bindHosts(nodeId, [host.id]);
  for (const nodeId of removed) await unbindHosts(nodeId, [host.id]);
  if (added.length > 0 || removed.length > 0) saved = await getHost(host.id);
  return saved;
}
