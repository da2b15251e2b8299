import type { EventName, EventPayload } from '@opsline/contracts';

/** Names for ids the payload carries without a name (a grant's subject); null when unknown. */
export interface NameLookup {
  user: (id: string) => string | null;
  team: (id: string) => string | null;
}

export interface Ctx {
  /** Who did it: the actor's name, or "System". */
  actor: string;
  /** The server did it by itself (no person): some sentences then name no actor. */
  bySystem: boolean;
  /** `changed` field names, by their form labels, as a list in the console's language. */
  fields: (changed: readonly string[], labels: Readonly<Record<string, string>>) => string;
  time: (iso: string) => string;
  /** Names as a list in the console's language: `a, b and c`. */
  list: (items: readonly string[]) => string;
  names: NameLookup;
}

/** A message key under `events.text.` and its parameters; null to fall back to the summary. */
export type Sentence = readonly [key: string, params: Record<string, string>] | null;
export type Builder<N extends EventName> = (p: EventPayload<N>, c: Ctx) => Sentence;
