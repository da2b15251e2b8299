import { ChannelBody, ChannelUpdateBody, type ChannelType } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule, type Schema } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import type { KeyValueRow } from '../../cmdb/shared/labels';
import { firstRepeated, rowsRule } from '../../cmdb/shared/rows';
import { CONFIG_FIELDS, channelDraft, type ChannelModel, type ConfigField } from './channel-form';

/**
 * The channel form's rules, checked by the same contract as the server's, and
 * where the server's field issues land (`body.config.url` → `url`).
 */

/** Fields the contract requires (a secret already stored may be left empty on edit). */
const REQUIRED: Record<ChannelType, readonly ConfigField[]> = {
  email: ['to'],
  webhook: ['url'],
  dingtalk: ['url'],
  feishu: ['url'],
  wecom: ['url'],
  slack: ['url'],
  pagerduty: ['routingKey'],
  sms: ['url', 'body', 'to'],
};

/** The form field an issue's path names: `config.url` → `url`, `template.title` → `title`, `name` → `name`. */
function fieldOfPath(path: readonly PropertyKey[]): string {
  const [first, second] = path;
  return (first === 'config' || first === 'template') && second !== undefined ? String(second) : String(first ?? '');
}

/** The form field of a server issue (`body.config.to.2` → `to`). */
export const channelFieldOf = (path: string): string => fieldOfPath(path.split('.').slice(path.startsWith('body.') ? 1 : 0));

/** The contract's verdict on one field: the whole draft is checked, and the issues on `field` kept. */
function fieldSchema(model: ChannelModel, editing: boolean, field: string): Schema {
  return {
    safeParse: () => {
      const result = (editing ? ChannelUpdateBody : ChannelBody).safeParse(channelDraft(model));
      const issues = result.success ? [] : result.error.issues.filter((i) => fieldOfPath(i.path) === field);
      return issues.length ? { success: false, error: { issues } } : { success: true };
    },
  };
}

/** What the contract's HeaderName allows. */
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

function headerProblem(rows: readonly KeyValueRow[]): string | null {
  const { t } = i18n.global;
  const filled = rows.filter((r) => r.key.trim() || r.value.trim());
  for (const row of filled) {
    if (!row.key.trim()) return t('notify.channels.headerNameMissing', { value: row.value });
    if (!HEADER_NAME.test(row.key.trim())) return t('notify.channels.headerNameFormat', { name: row.key });
  }
  const repeated = firstRepeated(filled.map((r) => r.key.trim().toLowerCase()));
  return repeated === null ? null : t('notify.channels.headerRepeated', { name: repeated });
}

export const isBadHeader = (row: KeyValueRow): boolean => Boolean(row.key.trim() || row.value.trim()) && !HEADER_NAME.test(row.key.trim());

/** Messages for the contract's formats, by field. */
const FORMAT_KEYS: Partial<Record<string, string>> = {
  url: 'notify.channels.urlFormat',
  to: 'notify.channels.phoneFormat',
  atMobiles: 'notify.channels.phoneFormat',
  mentionedMobiles: 'notify.channels.phoneFormat',
};

/** Is the field required in this form: by the contract, unless it is a secret already stored. */
export function isRequired(type: ChannelType, field: ConfigField, secretsSet: readonly string[] | null): boolean {
  return REQUIRED[type].includes(field) && !(secretsSet?.includes(field) ?? false);
}

/**
 * The rules of the fields the type shows, checked by the same contract as the
 * server's (ChannelBody; ChannelUpdateBody when editing, `secretsSet` non-null).
 */
export function channelRules(model: ChannelModel, secretsSet: readonly string[] | null): FormRules {
  const editing = secretsSet !== null;
  const rule = (field: string, required = false): FormItemRule =>
    schemaRule(fieldSchema(model, editing, field), { required, formatKey: FORMAT_KEYS[field] });
  const rules: FormRules = { name: rule('name', true), ratePerMinute: rule('ratePerMinute'), title: rule('title'), text: rule('text') };
  for (const field of CONFIG_FIELDS[model.type]) {
    rules[field] = field === 'headers' ? rowsRule<KeyValueRow>(headerProblem) : rule(field, isRequired(model.type, field, secretsSet));
  }
  return rules;
}
