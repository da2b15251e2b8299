import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { escapeLike } from '../../platform/db/like.js';

/**
 * What of the tree a user may see or touch for one permission: everything
 * (a global grant), or the subtrees under the nodes they hold it on, given as
 * id paths with none inside another.
 */
export type TreeScope = { all: true } | { all: false; roots: string[] };

export { escapeLike };

/** Drops id paths that lie inside another of them. */
export function outermost(idPaths: string[]): string[] {
  const sorted = [...new Set(idPaths)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => covers(k, p))) kept.push(p);
  return kept;
}

/** Is the node with id path `idPath` at or below `root`? */
export const covers = (root: string, idPath: string): boolean => idPath === root || idPath.startsWith(`${root}.`);

/** Does the scope reach the node with this id path? */
export const inScope = (scope: TreeScope, idPath: string): boolean => scope.all || scope.roots.some((r) => covers(r, idPath));

/** The ids strictly above the scope's roots: the path a user sees read-only. */
export function pathAbove(roots: string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roots) for (const id of r.split('.').slice(0, -1)) out.add(id);
  return out;
}

/** SQL: the id-path column lies at or below one of `idPaths` (false for none). Prefix matches use the text_pattern_ops index. */
export function inSubtrees(column: AnyPgColumn | SQL, idPaths: string[]): SQL {
  if (!idPaths.length) return sql`false`;
  return sql`(${sql.join(
    idPaths.map((p) => sql`${column} = ${p} or ${column} like ${`${escapeLike(p)}.%`}`),
    sql` or `,
  )})`;
}
