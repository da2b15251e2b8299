import { z } from 'zod';

/** Ids of entities are UUIDs (v7, so they sort by creation). */
export const Id = z.uuid();
export const IdParams = z.strictObject({ id: Id });

/** Free text limits: short names and longer descriptions. */
export const Name = z.string().trim().min(1).max(128);
export const Description = z.string().max(2000);
export const IsoDate = z.iso.datetime({ offset: true });

export const Username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore; starts with a letter or digit')
  .transform((s) => s.toLowerCase());

export const Password = z.string().min(8, 'at least 8 characters').max(256);

/** Keyset paging: `?limit=&cursor=`, answered with `{items, nextCursor}`. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const Ok = z.object({ ok: z.literal(true) });
