import {
  AppPort,
  CreateAppBody,
  RepoUrl,
  TreeNodeName,
  type AppRuntime,
  type AppView,
  type NodeRef,
  type UpdateAppBody,
} from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { createApp, updateApp } from '../../../api/apps';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { labelRecord, labelRows, labelsRule, type KeyValueRow } from '../shared/labels';
import { firstRepeated, rowsRule } from '../shared/rows';

/** A port row while editing: the number is empty until typed. */
export interface PortRow {
  port: number | null;
  protocol: 'tcp' | 'udp';
  name: string;
}

export interface AppModel {
  name: string;
  nodeId: string | null;
  ownerIds: string[];
  repoUrl: string;
  runtime: AppRuntime;
  ports: PortRow[];
  labels: KeyValueRow[];
  description: string;
}

/** The form filled from `app`, or empty for a new one on `node`. */
export function appModel(app: AppView | null, node: NodeRef | null = null): AppModel {
  return {
    name: app?.name ?? '',
    nodeId: app ? (app.node?.id ?? null) : (node?.id ?? null),
    ownerIds: app ? app.owners.map((o) => o.id) : [],
    repoUrl: app?.repoUrl ?? '',
    runtime: app?.runtime ?? 'host',
    ports: app ? app.ports.map((p) => ({ ...p })) : [],
    labels: labelRows(app?.labels),
    description: app?.description ?? '',
  };
}

const isBlankPort = (p: PortRow): boolean => p.port === null && p.name.trim() === '';
const portsOf = (rows: readonly PortRow[]): AppPort[] =>
  rows.filter((p) => !isBlankPort(p)).map((p) => ({ port: p.port ?? 0, protocol: p.protocol, name: p.name.trim() }));

function portProblem(rows: readonly PortRow[]): string | null {
  const { t } = i18n.global;
  const ports = portsOf(rows);
  const bad = ports.find((p) => !AppPort.safeParse(p).success);
  if (bad) return bad.port ? t('apps.portInvalid', { port: bad.port }) : t('apps.portMissing');
  const repeated = firstRepeated(ports.map((p) => `${p.port}/${p.protocol}`));
  return repeated === null ? null : t('apps.portRepeated', { port: repeated });
}

export function appRules(): FormRules {
  return {
    name: schemaRule(TreeNodeName, { required: true, formatKey: 'validation.treeNodeName' }),
    nodeId: requiredRule(),
    repoUrl: schemaRule(RepoUrl, { formatKey: 'apps.repoUrlFormat' }),
    ports: rowsRule<PortRow>(portProblem),
    labels: labelsRule(),
    description: schemaRule(CreateAppBody.shape.description),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function changes(app: AppView, m: AppModel): UpdateAppBody {
  const body: UpdateAppBody = {};
  if (m.name.trim() !== app.name) body.name = m.name.trim();
  if (m.nodeId && m.nodeId !== app.node?.id) body.nodeId = m.nodeId;
  if (!sameSet(m.ownerIds, app.owners.map((o) => o.id))) body.ownerIds = m.ownerIds;
  if (m.repoUrl.trim() !== app.repoUrl) body.repoUrl = m.repoUrl.trim();
  if (m.runtime !== app.runtime) body.runtime = m.runtime;
  const ports = portsOf(m.ports);
  if (!same(ports, app.ports)) body.ports = ports;
  const labels = labelRecord(m.labels);
  if (!same(labels, app.labels)) body.labels = labels;
  if (m.description !== app.description) body.description = m.description;
  return body;
}

/** Creates the app, or saves only what changed. */
export async function saveApp(app: AppView | null, m: AppModel): Promise<AppView> {
  if (app) {
    const body = changes(app, m);
    return Object.keys(body).length > 0 ? updateApp(app.id, body) : app;
  }
  return createApp({
    name: m.name.trim(),
    nodeId: m.nodeId ?? '',
    ownerIds: m.ownerIds,
    repoUrl: m.repoUrl.trim(),
    runtime: m.runtime,
    ports: portsOf(m.ports),
    labels: labelRecord(m.labels),
    description: m.description || undefined,
  });
}
