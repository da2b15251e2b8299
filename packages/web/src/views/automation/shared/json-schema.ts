import { i18n } from '../../../platform/i18n';

/**
 * The part of JSON Schema (draft 2020-12, as zod writes it) that step types
 * use for their parameters, and how the console reads it: a field per
 * property for the editor's form, a line per property for the plugins page.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  title?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

export const asSchema = (v: unknown): JsonSchema => (isSchema(v) ? v : {});

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A list of these can be typed in as tags. */
type ItemKind = 'string' | 'uuid' | 'integer' | 'number';

/** How a parameter is edited. `json`: a JSON text box, for what has no simpler form (unions, maps, deep objects). */
export type FieldKind = 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'group' | 'json';

/** A widget that knows what the value names: a job template, users, hosts, service-tree nodes, another step. */
export type FieldWidget = 'template' | 'users' | 'hosts' | 'nodes' | 'step';

export interface ParamField {
  name: string;
  /** From the step's params: `['targets', 'hostIds']`. */
  path: string[];
  kind: FieldKind;
  schema: JsonSchema;
  required: boolean;
  itemKind?: ItemKind;
  widget?: FieldWidget;
  options?: string[];
  /** A group's fields. */
  children?: ParamField[];
}

/** Parameters whose values name things, by step type (`*` any type) and name. */
const WIDGETS: Record<string, FieldWidget> = {
  'job.templateId': 'template',
  'approval.approvers': 'users',
  'condition.step': 'step',
  '*.hostIds': 'hosts',
  '*.nodeIds': 'nodes',
};

/** Strings this long are written on several lines (a script, a request body). */
const LONG_TEXT = 1000;

function itemKindOf(s: JsonSchema | undefined): ItemKind | null {
  if (!s) return null;
  const type = typeOf(s);
  if (type === 'string' && !s.enum) return s.format === 'uuid' ? 'uuid' : 'string';
  if (type === 'integer' || type === 'number') return type;
  return null;
}

function kindOf(s: JsonSchema, depth: number): Pick<ParamField, 'kind' | 'itemKind' | 'options'> {
  if (s.anyOf || s.oneOf) return { kind: 'json' };
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return { kind: 'enum', options: s.enum };
  switch (typeOf(s) ?? '') {
    case 'string':
      return { kind: (s.maxLength ?? Infinity) > LONG_TEXT && !s.format ? 'text' : 'string' };
    case 'integer':
      return { kind: 'integer' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const item = itemKindOf(s.items);
      return item ? { kind: 'list', itemKind: item } : { kind: 'json' };
    }
    case 'object': {
      // One level of plain properties shows as a group; maps and anything deeper as JSON.
      const props = Object.values(s.properties ?? {});
      const plain = depth === 0 && props.length > 0 && !isSchema(s.additionalProperties) && props.every((p) => kindOf(p, depth + 1).kind !== 'json' && typeOf(p) !== 'object');
      return { kind: plain ? 'group' : 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

function fieldsOf(schema: JsonSchema, stepType: string, parent: string[], depth: number): ParamField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const s = asSchema(raw);
    const path = [...parent, name];
    const kind = kindOf(s, depth);
    const widget = WIDGETS[`${stepType}.${path.join('.')}`] ?? WIDGETS[`*.${name}`];
    const field: ParamField = { name, path, schema: s, required: required.has(name), ...kind };
    if (widget && (kind.kind === 'list' || kind.kind === 'string')) field.widget = widget;
    if (kind.kind === 'group') field.children = fieldsOf(s, stepType, path, depth + 1);
    return field;
  });
}

/** The form fields of a step type's parameters. */
export const paramFields = (schema: unknown, stepType: string): ParamField[] => fieldsOf(asSchema(schema), stepType, [], 0);

/** Every property, nested ones by their dotted name, for the plugins page. */
export function flatParams(schema: unknown): { name: string; schema: JsonSchema; required: boolean }[] {
  const out: { name: string; schema: JsonSchema; required: boolean }[] = [];
  const walk = (s: JsonSchema, prefix: string, parentRequired: boolean) => {
    const required = new Set(s.required ?? []);
    for (const [name, raw] of Object.entries(s.properties ?? {})) {
      const child = asSchema(raw);
      const full = prefix ? `${prefix}.${name}` : name;
      const isRequired = parentRequired && required.has(name);
      out.push({ name: full, schema: child, required: isRequired });
      if (typeOf(child) === 'object' && child.properties) walk(child, full, isRequired);
    }
  };
  walk(asSchema(schema), '', true);
  return out;
}

/** `string (uuid)`, `integer, 1–300`, `one of GET, POST`, `list of uuid`, `map of string`, `integer or string`. */
export function typeText(s: JsonSchema): string {
  const { t } = i18n.global;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((a) => typeText(asSchema(a))).join(t('automation.schema.or'));
  if (Array.isArray(s.enum)) return t('automation.schema.oneOf', { values: s.enum.map(String).join(', ') });
  const type = typeOf(s) ?? t('automation.schema.any');
  const bounds = boundsText(s);
  switch (type) {
    case 'string':
      return [s.format ? `string (${s.format})` : 'string', bounds].filter(Boolean).join(', ');
    case 'array':
      return [t('automation.schema.listOf', { item: s.items ? typeText(asSchema(s.items)) : t('automation.schema.any') }), bounds].filter(Boolean).join(', ');
    case 'object':
      return isSchema(s.additionalProperties) ? t('automation.schema.mapOf', { value: typeText(s.additionalProperties) }) : 'object';
    default:
      return [type, bounds].filter(Boolean).join(', ');
  }
}

function boundsText(s: JsonSchema): string {
  const { t } = i18n.global;
  const range = (min: number | undefined, max: number | undefined, key: 'value' | 'length' | 'items'): string => {
    if (min === undefined && max === undefined) return '';
    if (min !== undefined && max !== undefined) return t(`automation.schema.${key}Range`, { min, max });
    return min !== undefined ? t(`automation.schema.${key}Min`, { min }) : t(`automation.schema.${key}Max`, { max });
  };
  return range(s.minimum, s.maximum, 'value') || range(s.minLength, s.maxLength, 'length') || range(s.minItems, s.maxItems, 'items');
}

/** A default as text (`GET`, `30`, `[]`); empty without one. */
export const defaultText = (s: JsonSchema): string => (s.default === undefined ? '' : typeof s.default === 'string' ? s.default || '""' : JSON.stringify(s.default));
