import { z } from 'zod';
import { Description, IsoDate, PageQuery } from './common.js';

const SecretName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._/-]*$/, 'lower-case letters, digits, dot, dash, underscore and slash');

/** A stored credential as the API shows it: never its value. */
export const SecretView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type SecretView = z.infer<typeof SecretView>;

export const CreateSecretBody = z.strictObject({
  name: SecretName,
  description: Description.optional(),
  /** Write-only: stored sealed (AES-256-GCM envelope), never returned or logged. */
  value: z.string().min(1).max(65_536),
});
export type CreateSecretBody = z.infer<typeof CreateSecretBody>;

export const UpdateSecretBody = z.strictObject({
  description: Description.optional(),
  value: z.string().min(1).max(65_536).optional(),
});
export type UpdateSecretBody = z.infer<typeof UpdateSecretBody>;

export const SecretListQuery = PageQuery.extend({ q: z.string().max(128).optional() });
export type SecretListQuery = z.infer<typeof SecretListQuery>;
