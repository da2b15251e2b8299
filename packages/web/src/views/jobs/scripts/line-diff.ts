import { diffLines } from 'diff';

/** One line of a unified diff, numbered in the old and the new text; `skip` stands for unchanged lines folded away. */
export type DiffRow =
  | { kind: 'same' | 'add' | 'del'; oldNo: number | null; newNo: number | null; text: string }
  | { kind: 'skip'; count: number };

/** Unchanged lines kept around each change. */
const CONTEXT = 3;
/** A diff that takes longer gives up (two huge, unrelated texts). */
const TIMEOUT_MS = 1500;

const linesOf = (value: string): string[] => {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

/** Runs of unchanged lines longer than the context on both sides fold into one `skip` row. */
function fold(rows: DiffRow[]): DiffRow[] {
  const out: DiffRow[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]?.kind !== 'same') {
      out.push(rows[i] as DiffRow);
      i += 1;
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j]?.kind === 'same') j += 1;
    const keepBefore = i === 0 ? 0 : CONTEXT;
    const keepAfter = j === rows.length ? 0 : CONTEXT;
    const hidden = j - i - keepBefore - keepAfter;
    if (hidden > 1) {
      out.push(...rows.slice(i, i + keepBefore), { kind: 'skip', count: hidden }, ...rows.slice(j - keepAfter, j));
    } else {
      out.push(...rows.slice(i, j));
    }
    i = j;
  }
  return out;
}

/** The rows of a unified line diff from `before` to `after`; null when the texts are too far apart to diff in time. */
export function lineDiff(before: string, after: string): { rows: DiffRow[]; added: number; removed: number } | null {
  const changes = diffLines(before, after, { timeout: TIMEOUT_MS });
  if (!changes) return null;
  const rows: DiffRow[] = [];
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    for (const text of linesOf(change.value)) {
      if (change.added) {
        rows.push({ kind: 'add', oldNo: null, newNo: newNo++, text });
        added += 1;
      } else if (change.removed) {
        rows.push({ kind: 'del', oldNo: oldNo++, newNo: null, text });
        removed += 1;
      } else {
        rows.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
      }
    }
  }
  return { rows: fold(rows), added, removed };
}
