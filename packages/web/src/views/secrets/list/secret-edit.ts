import type { SecretView } from '@opsline/contracts';

/** What the credential modal does: store a new one, edit a description, or replace a value (rotation). */
export type SecretEdit = { mode: 'create' } | { mode: 'edit' | 'rotate'; secret: SecretView };
