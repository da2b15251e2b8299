import type { OutboundPolicy } from '@opsline/contracts';

/** What a save changes in one list: entries added and removed. */
export interface ListChange {
  added: string[];
  removed: string[];
}

const change = (before: readonly string[], after: readonly string[]): ListChange => ({
  added: after.filter((e) => !before.includes(e)),
  removed: before.filter((e) => !after.includes(e)),
});

/** Both lists' changes, for the confirmation (and the audit record says the same). */
export const diffPolicy = (before: OutboundPolicy, after: OutboundPolicy): Record<keyof OutboundPolicy, ListChange> => ({
  allow: change(before.allow, after.allow),
  deny: change(before.deny, after.deny),
});

export const isUnchanged = (c: Record<keyof OutboundPolicy, ListChange>): boolean =>
  Object.values(c).every((l) => l.added.length === 0 && l.removed.length === 0);

/** Entries as the contract keeps them: trimmed, blank ones and repeats dropped. */
export const cleanEntries = (entries: readonly string[]): string[] => [...new Set(entries.map((e) => e.trim()).filter(Boolean))];

/** How many entries a save adds and removes in each list, for the confirmation's sentence. */
export const changeCounts = (c: Record<keyof OutboundPolicy, ListChange>): Record<string, number> => ({
  allowAdded: c.allow.added.length,
  allowRemoved: c.allow.removed.length,
  denyAdded: c.deny.added.length,
  denyRemoved: c.deny.removed.length,
});
