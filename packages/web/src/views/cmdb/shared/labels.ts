import { LabelKey } from '@opsline/contracts';
import { i18n } from '../../../platform/i18n';
import { firstRepeated, rowsRule } from './rows';

/** One row of the labels editor; the form keeps rows (stable order while typing), the API a record. */
export interface KeyValueRow {
  key: string;
  value: string;
}

const MAX_LABELS = 64;
const MAX_VALUE = 256;

const isBlank = (row: KeyValueRow): boolean => row.key.trim() === '' && row.value.trim() === '';

export const labelRows = (labels: Record<string, string> | undefined): KeyValueRow[] =>
  Object.entries(labels ?? {}).map(([key, value]) => ({ key, value }));

/** The rows as the API takes them; blank rows are dropped. */
export const labelRecord = (rows: readonly KeyValueRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => !isBlank(r)).map((r) => [r.key.trim(), r.value.trim()]));

export const isBadLabelKey = (row: KeyValueRow): boolean => !isBlank(row) && !LabelKey.safeParse(row.key.trim()).success;

/** Keys as the server checks them, said in the console's language. */
export function labelProblem(rows: readonly KeyValueRow[]): string | null {
  const { t } = i18n.global;
  const filled = rows.filter((r) => !isBlank(r));
  if (filled.length > MAX_LABELS) return t('cmdb.labelsTooMany', { max: MAX_LABELS });
  for (const row of filled) {
    if (row.key.trim() === '') return t('cmdb.labelKeyMissing', { value: row.value });
    if (isBadLabelKey(row)) return t('cmdb.labelKeyFormat', { key: row.key });
    if (row.value.length > MAX_VALUE) return t('cmdb.labelValueTooLong', { key: row.key, max: MAX_VALUE });
  }
  const repeated = firstRepeated(filled.map((r) => r.key.trim()));
  return repeated === null ? null : t('cmdb.labelRepeated', { key: repeated });
}

export const labelsRule = () => rowsRule<KeyValueRow>(labelProblem);

/** `env=prod` for tags and cells. */
export const labelTexts = (labels: Record<string, string>): string[] => Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k));
