import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';
import { Labels, NodeRef, Owner, TrueFalse } from './cmdb-common.js';

/** What the CMDB knows of a host's state; agents report `online`/`offline` once they arrive. */
export const HOST_STATUSES = ['online', 'offline', 'maintenance', 'unknown'] as const;
export const HostStatus = z.enum(HOST_STATUSES);
export type HostStatus = z.infer<typeof HostStatus>;

/** Where the record came from. */
export const HOST_SOURCES = ['manual', 'import', 'agent'] as const;
export const HostSource = z.enum(HOST_SOURCES);
export type HostSource = z.infer<typeof HostSource>;

/** RFC 1123 host names (labels joined by dots), compared case-insensitively: stored lower-case. */
export const Hostname = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/, 'letters, digits, dash and underscore in dot-separated labels of at most 63')
  .transform((s) => s.toLowerCase());

export const IpAddress = z.union([z.ipv4(), z.ipv6()], { error: 'not an IPv4 or IPv6 address' });

export const Disk = z.strictObject({
  /** Mount point or device: `/`, `/data`, `C:`. */
  mount: z.string().trim().min(1).max(256),
  sizeGb: z.number().positive().max(1_000_000),
});
export type Disk = z.infer<typeof Disk>;

export const CreateHostBody = z.strictObject({
  hostname: Hostname,
  ips: z.array(IpAddress).min(1, 'at least one IP address').max(32),
  os: z.string().trim().max(128).optional(),
  cpuCores: z.number().int().min(1).max(4096).nullable().optional(),
  memoryMb: z.number().int().min(1).max(64 * 1024 * 1024).nullable().optional(),
  disks: z.array(Disk).max(64).optional(),
  labels: Labels.optional(),
  status: HostStatus.optional(),
  ownerId: Id.nullable().optional(),
  /** Leaf nodes to bind the host to. */
  nodeIds: z.array(Id).max(64).optional(),
});
export type CreateHostBody = z.infer<typeof CreateHostBody>;

/** Bindings change through POST|DELETE /tree/nodes/:id/hosts, not here. */
export const UpdateHostBody = CreateHostBody.omit({ nodeIds: true }).partial();
export type UpdateHostBody = z.infer<typeof UpdateHostBody>;

export const HostView = z.object({
  id: z.string(),
  hostname: z.string(),
  ips: z.array(z.string()),
  os: z.string(),
  cpuCores: z.number().int().nullable(),
  memoryMb: z.number().int().nullable(),
  disks: z.array(Disk),
  labels: z.record(z.string(), z.string()),
  status: HostStatus,
  source: HostSource,
  owner: Owner.nullable(),
  /** The leaf nodes it is bound to. */
  nodes: z.array(NodeRef),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type HostView = z.infer<typeof HostView>;

const hostFilters = {
  /** Hosts bound to this node (with `descendants=true`, anywhere below it too). */
  nodeId: Id.optional(),
  descendants: TrueFalse,
  /** Part of a hostname or IP address, case-insensitive. */
  q: z.string().trim().max(256).optional(),
  status: HostStatus.optional(),
};

/** Paged by hostname. */
export const HostListQuery = PageQuery.extend(hostFilters);
export type HostListQuery = z.infer<typeof HostListQuery>;

/** The same filters as the list, without paging: the export holds every match. */
export const HostExportQuery = z.strictObject(hostFilters);
export type HostExportQuery = z.infer<typeof HostExportQuery>;

/** `{hostIds}` to bind to, or unbind from, a leaf node. */
export const HostBindingBody = z.strictObject({ hostIds: z.array(Id).min(1).max(1000) });
export type HostBindingBody = z.infer<typeof HostBindingBody>;

export const HostImportQuery = z.strictObject({
  /** Report what would happen and change nothing. */
  dryRun: TrueFalse,
});

/** The columns of the CSV import and export, in export order. Lists inside a cell are `;`-separated. */
export const HOST_CSV_COLUMNS = ['hostname', 'ips', 'os', 'cpu_cores', 'memory_mb', 'disks', 'labels', 'status', 'owner', 'nodes'] as const;
export type HostCsvColumn = (typeof HOST_CSV_COLUMNS)[number];

export const HostImportRow = z.object({
  /** 1-based line in the file (the header is line 1). */
  line: z.number().int(),
  hostname: z.string(),
  action: z.enum(['create', 'update', 'unchanged', 'reject']),
  /** Why a row is rejected: each bad cell by column. */
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
  hostId: z.string().nullable(),
});
export type HostImportRow = z.infer<typeof HostImportRow>;

export const HostImportReport = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rows: z.array(HostImportRow),
});
export type HostImportReport = z.infer<typeof HostImportReport>;
