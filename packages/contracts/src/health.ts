import { z } from 'zod';

export const HealthResult = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  db: z.enum(['pglite', 'postgres']),
  uptimeSeconds: z.number(),
});
export type HealthResult = z.infer<typeof HealthResult>;
