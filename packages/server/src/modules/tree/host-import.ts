import type { ZodType } from 'zod';
import { CreateHostBody, Hostname, IpAddress, type HostImportReport, type HostImportRow } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { PlatformServices } from '../../platform/services.js';
import { hostRepo, type HostRow } from './host.repo.js';
import { disksCell, labelsCell, listCell, readHostCsv, type CsvRow } from './host-csv.js';
import { reaches, type BoundNode, type HostFields, type HostService } from './host.service.js';
import { treeRepo } from './tree.repo.js';
import type { TreeService } from './tree.service.js';
import type { TreeScope } from './visibility.js';

type Users = Pick<PlatformServices['users'], 'idsOfUsernames'>;
type FieldError = { field: string; message: string };
const shape = CreateHostBody.shape;

/** What the file already knows about, looked up once for all rows. */
interface Lookups {
  existing: Map<string, HostRow>;
  bindings: Map<string, BoundNode[]>;
  owners: Map<string, string>;
  nodes: Map<string, { id: string; path: string; idPath: string; isLeaf: boolean }>;
  scope: TreeScope;
}

/** One row read into fields, or the errors of its cells. */
interface Planned {
  hostname: string;
  fields: Partial<HostFields>;
  nodes: BoundNode[] | undefined;
  errors: FieldError[];
}

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined {
  return result.success ? undefined : (result.error?.issues[0]?.message ?? 'invalid');
}

/** Reads the cells of one row; an empty cell leaves the value as it is (or the default, for a new host). */
function planRow(row: CsvRow, look: Lookups): Planned {
  const c = row.cells;
  const errors: FieldError[] = [];
  const fields: Partial<HostFields> = {};
  const bad = (field: string, message: string | undefined): void => {
    if (message) errors.push({ field, message });
  };
  const parsedName = Hostname.safeParse(c.hostname ?? '');
  const hostname = parsedName.success ? parsedName.data : (c.hostname ?? '');
  if (!c.hostname) bad('hostname', 'missing');
  else bad('hostname', firstIssue(parsedName));
  if (parsedName.success) fields.hostname = parsedName.data;

  if (c.ips) {
    const ips = listCell(c.ips);
    const wrong = ips.filter((ip) => !IpAddress.safeParse(ip).success);
    if (wrong.length) bad('ips', `not an IP address: ${wrong.join(', ')}`);
    else bad('ips', firstIssue(shape.ips.safeParse(ips)));
    fields.ips = ips;
  } else if (!look.existing.has(hostname)) bad('ips', 'at least one IP address');
  if (c.os) {
    bad('os', firstIssue(shape.os.safeParse(c.os)));
    fields.os = c.os;
  }
  for (const [col, key] of [['cpu_cores', 'cpuCores'], ['memory_mb', 'memoryMb']] as const) {
    const cell = c[col];
    if (!cell) continue;
    const n = Number(cell);
    bad(col, firstIssue(shape[key].safeParse(n)));
    fields[key] = n;
  }
  const structured = <T>(col: 'disks' | 'labels', read: { value: T } | { error: string }, schema: ZodType): T | undefined => {
    if ('error' in read) return void bad(col, read.error);
    bad(col, firstIssue(schema.safeParse(read.value)));
    return read.value;
  };
  if (c.disks) fields.disks = structured('disks', disksCell(c.disks), shape.disks);
  if (c.labels) fields.labels = structured('labels', labelsCell(c.labels), shape.labels);
  if (c.status) {
    const status = shape.status.safeParse(c.status.toLowerCase());
    bad('status', firstIssue(status));
    if (status.success) fields.status = status.data;
  }
  if (c.owner) {
    const id = look.owners.get(c.owner.toLowerCase());
    if (!id) bad('owner', `no such user: ${c.owner}`);
    fields.ownerId = id ?? null;
  }
  let nodes: BoundNode[] | undefined;
  if (c.nodes) {
    nodes = [];
    for (const path of listCell(c.nodes)) {
      const node = look.nodes.get(path);
      if (!node) bad('nodes', `no such node: ${path}`);
      else if (!node.isLeaf) bad('nodes', `${path} is not a leaf node`);
      else nodes.push({ id: node.id, path: node.path, idPath: node.idPath });
    }
  }
  return { hostname, fields, nodes, errors };
}

/** May the importer create or change this host, bound as it would be? */
function accessError(scope: TreeScope, existing: BoundNode[] | undefined, nodes: BoundNode[] | undefined): FieldError | undefined {
  if (scope.all) return undefined;
  if (existing && !reaches(scope, existing, 'every')) return { field: 'hostname', message: 'you lack host:write where this host is bound' };
  const target = nodes ?? existing ?? [];
  if (!reaches(scope, target, 'every')) {
    return { field: 'nodes', message: target.length ? 'you lack host:write on a node named' : 'name a leaf node you hold host:write on' };
  }
  return undefined;
}

async function lookups(ctx: MutationContext, rows: CsvRow[], scope: TreeScope, users: Users): Promise<Lookups> {
  const names = rows.map((r) => Hostname.safeParse(r.cells.hostname ?? '')).flatMap((p) => (p.success ? [p.data] : []));
  const existing = new Map((await hostRepo.byHostnames(ctx.tx, [...new Set(names)])).map((h) => [h.hostname, h]));
  const bindings = await hostRepo.bindingsOf(ctx.tx, [...existing.values()].map((h) => h.id));
  const owners = await users.idsOfUsernames(rows.flatMap((r) => (r.cells.owner ? [r.cells.owner] : [])), ctx.tx);
  const paths = [...new Set(rows.flatMap((r) => listCell(r.cells.nodes ?? '')))];
  const nodes = new Map((await treeRepo.byPaths(ctx.tx, paths)).map((n) => [n.path, n]));
  return { existing, bindings, owners, nodes, scope };
}

/**
 * Imports hosts from CSV: each row is created (new hostname), updated or left
 * unchanged, or rejected with the reason per cell; good rows go in even when
 * others are rejected. A dry run reports the same and writes nothing.
 */
export async function importHosts(
  deps: { hosts: HostService; tree: TreeService; users: Users },
  ctx: MutationContext,
  input: { csv: string; dryRun: boolean; userId: string },
): Promise<HostImportReport> {
  const rows = readHostCsv(input.csv);
  const look = await lookups(ctx, rows, await deps.tree.scopeFor(input.userId, 'host:write', ctx.tx), deps.users);
  const seen = new Map<string, number>();
  const report: HostImportReport = { dryRun: input.dryRun, created: 0, updated: 0, unchanged: 0, rejected: 0, rows: [] };
  for (const row of rows) {
    const plan = planRow(row, look);
    const first = seen.get(plan.hostname);
    if (first !== undefined && plan.hostname) plan.errors.push({ field: 'hostname', message: `duplicate of line ${first}` });
    else seen.set(plan.hostname, row.line);
    const existing = look.existing.get(plan.hostname);
    const bound = existing ? (look.bindings.get(existing.id) ?? []) : undefined;
    if (!plan.errors.length) {
      const denied = accessError(look.scope, bound, plan.nodes);
      if (denied) plan.errors.push(denied);
    }
    const out: HostImportRow = { line: row.line, hostname: plan.hostname, action: 'reject', errors: plan.errors, hostId: existing?.id ?? null };
    if (plan.errors.length) {
      report.rejected++;
    } else if (!existing) {
      out.action = 'create';
      report.created++;
      if (!input.dryRun) {
        const { hostname, ips } = plan.fields;
        if (!hostname || !ips) throw new Error('unreachable: a planned new host has a hostname and ips');
        out.hostId = (await deps.hosts.insert(ctx.tx, { ...plan.fields, hostname, ips }, 'import', plan.nodes ?? [])).id;
      }
    } else {
      const fieldsChange = Object.entries(plan.fields).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(existing[k as keyof HostRow]));
      const nodesChange = plan.nodes !== undefined && (plan.nodes.length !== bound?.length || plan.nodes.some((n) => !bound.some((b) => b.id === n.id)));
      out.action = fieldsChange || nodesChange ? 'update' : 'unchanged';
      report[out.action === 'update' ? 'updated' : 'unchanged']++;
      if (!input.dryRun && out.action === 'update') {
        await deps.hosts.change(ctx.tx, existing, plan.fields);
        if (plan.nodes) await deps.hosts.rebind(ctx.tx, existing.id, bound ?? [], plan.nodes);
      }
    }
    report.rows.push(out);
  }
  return report;
}
