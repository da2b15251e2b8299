import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { HOST_CSV_COLUMNS, type Disk, type HostCsvColumn, type HostView } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';

/** The most rows one import takes; bigger files are split by the caller. */
export const MAX_IMPORT_ROWS = 10_000;

/** One data row: its line in the file and the cells by column (only the columns the header has). */
export interface CsvRow {
  line: number;
  cells: Partial<Record<HostCsvColumn, string>>;
}

// A cell a spreadsheet would run as a formula is exported behind a quote (OWASP "CSV injection") and read back without it.
const FORMULA_START = /^[=+\-@\t\r]/;
const defuse = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);
const restore = (cell: string): string => (cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);

const csvError = (message: string, field = 'body'): AppError => new AppError('CSV_INVALID', message, { issues: [{ field, message }] });

/** Reads the import file: a header naming known columns (any order, `hostname` required), then rows. */
export function readHostCsv(text: string): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    throw csvError(`The CSV cannot be read: ${(err as Error).message}`);
  }
  const [head, ...rows] = records;
  if (!head) throw csvError('The file is empty; it needs a header row and at least one host');
  const header = head.record.map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !(HOST_CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw csvError(`Unknown column(s): ${unknown.join(', ')}; the columns are ${HOST_CSV_COLUMNS.join(', ')}`, 'body.header');
  if (!header.includes('hostname')) throw csvError('The header has no hostname column', 'body.header');
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length) throw csvError(`Column(s) named twice: ${[...new Set(repeated)].join(', ')}`, 'body.header');
  if (rows.length > MAX_IMPORT_ROWS) throw csvError(`${rows.length} rows; one import takes at most ${MAX_IMPORT_ROWS}`);
  return rows.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((h, i) => [h, restore(record[i] ?? '')])),
  }));
}

/** `a;b; c` → `['a','b','c']` */
export const listCell = (cell: string): string[] =>
  cell
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `/:100;/data:500` → disks; the size is the part after the last colon (mounts like `C:` keep theirs). */
export function disksCell(cell: string): { value: Disk[] } | { error: string } {
  const disks: Disk[] = [];
  for (const part of cell.split(';').map((s) => s.trim()).filter(Boolean)) {
    const at = part.lastIndexOf(':');
    const size = Number(part.slice(at + 1));
    if (at <= 0 || !Number.isFinite(size) || size <= 0) return { error: `"${part}" is not mount:sizeGb (like /data:500)` };
    disks.push({ mount: part.slice(0, at), sizeGb: size });
  }
  return { value: disks };
}

/** `env=prod;team=db` → labels */
export function labelsCell(cell: string): { value: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const part of cell.split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `"${part}" is not key=value` };
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { value: labels };
}

/** The export's header line. */
export const hostCsvHeader = (): string => `\uFEFF${stringify([[...HOST_CSV_COLUMNS]])}`;

/** Export rows, in the columns of HOST_CSV_COLUMNS; cells round-trip through the import. */
export function hostCsvLines(items: HostView[]): string {
  return stringify(
    items.map((h) =>
      [
        h.hostname,
        h.ips.join(';'),
        h.os,
        h.cpuCores?.toString() ?? '',
        h.memoryMb?.toString() ?? '',
        h.disks.map((d) => `${d.mount}:${d.sizeGb}`).join(';'),
        Object.entries(h.labels).map(([k, v]) => `${k}=${v}`).join(';'),
        h.status,
        h.owner?.username ?? '',
        h.nodes.map((n) => n.path).join(';'),
      ].map(defuse),
    ),
  );
}
