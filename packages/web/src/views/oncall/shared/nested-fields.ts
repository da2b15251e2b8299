import { watch } from 'vue';

/** `body.layers.0.userIds.1` → `['layers', '0', 'userIds', '1']`. */
export const pathParts = (path: string): string[] => {
  const parts = path.split('.');
  return ['body', 'query', 'params'].includes(parts[0] ?? '') ? parts.slice(1) : parts;
};

const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

/**
 * The form field an issue belongs to in a form of repeated rows: the row's
 * field (`levels.0.delayMinutes`, `rules.2.channelIds`) or, for a group
 * named in `groups`, the field inside it (`layers.0.rotation.startDate`,
 * `contact.phone`); else the top-level field.
 */
export function rowFieldOf(path: string, groups: readonly string[] = []): string {
  const p = pathParts(path);
  const [top, second, third, fourth] = p;
  if (top === undefined) return path;
  if (isIndex(second) && third !== undefined) {
    return groups.includes(third) && fourth !== undefined ? `${top}.${second}.${third}.${fourth}` : `${top}.${second}.${third}`;
  }
  if (groups.includes(top) && second !== undefined) return `${top}.${second}`;
  return top;
}

function valueAt(model: unknown, path: string): unknown {
  let at: unknown = model;
  for (const p of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[p];
  }
  return at;
}

/**
 * The server's message on a nested field (`layers.0.userIds`) goes once that
 * field is edited, as useFormSubmit does for top-level ones.
 */
export function useNestedErrorReset(fieldErrors: Record<string, string>, model: object): void {
  watch(
    () => JSON.stringify(model),
    (now, before) => {
      const a: unknown = JSON.parse(now);
      const b: unknown = JSON.parse(before);
      for (const key of Object.keys(fieldErrors)) {
        if (key.includes('.') && JSON.stringify(valueAt(a, key)) !== JSON.stringify(valueAt(b, key))) delete fieldErrors[key];
      }
    },
  );
}
