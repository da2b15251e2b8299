import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';
import { EnvName, MAX_SCRIPT_BYTES } from './exec.js';

/**
 * The script library (脚本管理): scripts bound to tree nodes, every save a
 * new version, declared parameters; and the dangerous-command guard.
 */

export const SCRIPT_LANGUAGES = ['bash', 'sh', 'python3'] as const;
export const ScriptLanguage = z.enum(SCRIPT_LANGUAGES, { error: 'a language: bash, sh or python3' });
export type ScriptLanguage = z.infer<typeof ScriptLanguage>;

export const PARAM_TYPES = ['string', 'number', 'bool', 'enum'] as const;
export const ParamType = z.enum(PARAM_TYPES);
export type ParamType = z.infer<typeof ParamType>;

/** Is a parameter's default a value of its type? */
function defaultFits(p: { type: ParamType; default?: string | undefined; options?: string[] | undefined }): boolean {
  const d = p.default ?? '';
  switch (p.type) {
    case 'string':
      return true;
    case 'number':
      return d.trim() !== '' && Number.isFinite(Number(d));
    case 'bool':
      return d === 'true' || d === 'false';
    case 'enum':
      return p.options?.includes(d) ?? false;
  }
}

/** A declared parameter: reaches the script as `OPSLINE_PARAM_<NAME>`. */
export const ScriptParam = z
  .strictObject({
    name: EnvName,
    type: ParamType,
    description: z.string().max(500).optional(),
    default: z.string().max(4096).optional(),
    required: z.boolean().default(false),
    /** Stored sealed, masked in output and logs, never answered back. */
    secret: z.boolean().default(false),
    /** The allowed values of an `enum`. */
    options: z.array(z.string().min(1).max(256)).max(100).optional(),
  })
  .refine((p) => p.type !== 'enum' || (p.options?.length ?? 0) > 0, { message: 'an enum needs its options', path: ['options'] })
  .refine((p) => p.default === undefined || !p.secret, { message: 'a secret parameter has no default (it would be stored in the clear)', path: ['default'] })
  .refine((p) => p.type === 'enum' || p.options === undefined, { message: 'only an enum has options', path: ['options'] })
  .refine((p) => p.default === undefined || defaultFits(p), { message: 'the default does not fit the type (a number, true/false, or one of the options)', path: ['default'] });
export type ScriptParam = z.infer<typeof ScriptParam>;

// No default here: an update that leaves `params` out must not read as "no parameters" (zod applies defaults inside optional).
const ScriptParams = z
  .array(ScriptParam)
  .max(50)
  .refine((ps) => new Set(ps.map((p) => p.name.toUpperCase())).size === ps.length, 'parameter names must differ (case-insensitively)');

const ScriptName = z.string().trim().min(1).max(128);
const Content = z.string().min(1, 'the script is empty').max(MAX_SCRIPT_BYTES);

export const CreateScriptBody = z.strictObject({
  name: ScriptName,
  language: ScriptLanguage,
  content: Content,
  params: ScriptParams.default([]),
  nodeId: Id.optional(),
  description: Description.optional(),
});
export type CreateScriptBody = z.infer<typeof CreateScriptBody>;

/** Saving content or parameters makes a new version; name, node and description change in place. */
export const UpdateScriptBody = z.strictObject({
  name: ScriptName.optional(),
  language: ScriptLanguage.optional(),
  content: Content.optional(),
  params: ScriptParams.optional(),
  nodeId: Id.nullable().optional(),
  description: Description.optional(),
  /** What changed, shown in the version list. */
  message: z.string().max(500).optional(),
});
export type UpdateScriptBody = z.infer<typeof UpdateScriptBody>;

export const ScriptView = z.object({
  id: z.string(),
  name: z.string(),
  language: ScriptLanguage,
  description: z.string(),
  node: z.object({ id: z.string(), path: z.string() }).nullable(),
  version: z.number().int(),
  content: z.string(),
  params: z.array(ScriptParam),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ScriptView = z.infer<typeof ScriptView>;

export const ScriptVersionView = z.object({
  version: z.number().int(),
  content: z.string(),
  params: z.array(ScriptParam),
  language: ScriptLanguage,
  message: z.string(),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
});
export type ScriptVersionView = z.infer<typeof ScriptVersionView>;

export const ScriptVersionParams = z.strictObject({ id: Id, version: z.coerce.number().int().min(1).max(2 ** 31 - 1) });
export type ScriptVersionParams = z.infer<typeof ScriptVersionParams>;

export const ScriptListQuery = PageQuery.extend({
  q: z.string().trim().max(128).optional(),
  nodeId: Id.optional(),
  language: ScriptLanguage.optional(),
});
export type ScriptListQuery = z.infer<typeof ScriptListQuery>;

// ------------------------------------------------------------ command guard

export const GUARD_ACTIONS = ['block', 'approve'] as const;
export const GuardAction = z.enum(GUARD_ACTIONS);
export type GuardAction = z.infer<typeof GuardAction>;

/** A JavaScript regular expression source; checked to compile. */
const Pattern = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => {
    try {
      new RegExp(p, 'm');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

const GuardRuleName = z.string().trim().min(1).max(128);
export const GuardRuleBody = z.strictObject({
  name: GuardRuleName,
  pattern: Pattern,
  action: GuardAction,
  enabled: z.boolean().default(true),
  description: Description.optional(),
});
export type GuardRuleBody = z.infer<typeof GuardRuleBody>;
/** Spelled out rather than `.partial()`: zod would fill `enabled`'s default into every update and re-enable the rule. */
export const UpdateGuardRuleBody = z.strictObject({
  name: GuardRuleName.optional(),
  pattern: Pattern.optional(),
  action: GuardAction.optional(),
  enabled: z.boolean().optional(),
  description: Description.optional(),
});
export type UpdateGuardRuleBody = z.infer<typeof UpdateGuardRuleBody>;

export const GuardRuleView = z.object({
  id: z.string(),
  name: z.string(),
  pattern: z.string(),
  action: GuardAction,
  enabled: z.boolean(),
  description: z.string(),
  builtin: z.boolean(),
  createdAt: IsoDate,
});
export type GuardRuleView = z.infer<typeof GuardRuleView>;

/** A script to try against the guard rules, as a run would be checked. */
export const GuardCheckBody = z.strictObject({ content: z.string().max(MAX_SCRIPT_BYTES) });
export type GuardCheckBody = z.infer<typeof GuardCheckBody>;

/** What the guard says of a script: the rules it matched, and the line of each. */
export const GuardVerdict = z.object({
  action: z.enum(['allow', 'approve', 'block']),
  matches: z.array(z.object({ ruleId: z.string(), name: z.string(), action: GuardAction, line: z.number().int(), text: z.string() })),
});
export type GuardVerdict = z.infer<typeof GuardVerdict>;
