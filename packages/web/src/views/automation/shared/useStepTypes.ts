import type { StepTypeView } from '@opsline/contracts';
import { computed, shallowRef } from 'vue';
import { listStepTypes } from '../../../api/automation';
import { i18n } from '../../../platform/i18n';
import { asSchema } from './json-schema';

/**
 * The installed step types (GET /step-types), loaded once per page. The
 * server names them in English; the built-in ones also have words in the
 * console's languages (`automation.stepTypes.<type>`), a plugin's own show as sent.
 */
export function useStepTypes() {
  const items = shallowRef<StepTypeView[]>([]);
  const loading = shallowRef(false);
  const error = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      items.value = (await listStepTypes()).items;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  const byType = computed(() => new Map(items.value.map((s) => [s.type, s])));
  const title = (type: string): string => stepTypeTitle(byType.value.get(type) ?? { type, title: type, description: '', params: {} });
  const options = computed(() => items.value.map((s) => ({ value: s.type, label: stepTypeTitle(s), description: stepTypeDescription(s) })));
  return { items, loading, error, load, byType, title, options };
}

const known = (key: string): boolean => i18n.global.te(key);

export function stepTypeTitle(s: StepTypeView): string {
  const key = `automation.stepTypes.${s.type}.title`;
  return known(key) ? i18n.global.t(key) : s.title;
}

export function stepTypeDescription(s: StepTypeView): string {
  const key = `automation.stepTypes.${s.type}.description`;
  return known(key) ? i18n.global.t(key) : s.description;
}

/** What a parameter is for: the console's words for a built-in type's (`targets.hostIds` → `params.targets_hostIds`), else the schema's own; empty when neither. */
export function paramDescription(type: string, name: string, schema: unknown): string {
  const key = `automation.stepTypes.${type}.params.${name.replaceAll('.', '_')}`;
  return known(key) ? i18n.global.t(key) : (asSchema(schema).description ?? '');
}
