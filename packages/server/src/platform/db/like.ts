/** Escapes `%`, `_` and `\` so user text matches itself inside a LIKE/ILIKE pattern. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
