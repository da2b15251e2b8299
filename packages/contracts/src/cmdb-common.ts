import { z } from 'zod';

/** `?flag=true|false` in a query string (absent: false). */
export const TrueFalse = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

/** Free-form `key: value` labels, as Kubernetes has them: keys `[A-Za-z0-9][A-Za-z0-9._/-]*`. */
export const LabelKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/, 'letters, digits, dot, dash, slash and underscore, at most 63');
export const Labels = z
  .record(LabelKey, z.string().max(256))
  .refine((l) => Object.keys(l).length <= 64, 'at most 64 labels');
export type Labels = z.infer<typeof Labels>;

/** A tree node something is bound to. */
export const NodeRef = z.object({ id: z.string(), path: z.string() });
export type NodeRef = z.infer<typeof NodeRef>;

/** A user named as an owner. */
export const Owner = z.object({ id: z.string(), username: z.string() });
export type Owner = z.infer<typeof Owner>;
