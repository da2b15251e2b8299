import type { FormItemRule } from 'naive-ui';
import { i18n } from '../../../platform/i18n';

/** At least one host or node, when the targets are being chosen (`active`). */
export function targetsRule(targets: () => { hostIds: readonly string[]; nodeIds: readonly string[] }, active: () => boolean = () => true): FormItemRule {
  return {
    trigger: ['change', 'blur'],
    required: true,
    validator: () => {
      if (!active()) return true;
      const { hostIds, nodeIds } = targets();
      return hostIds.length + nodeIds.length > 0 ? true : new Error(i18n.global.t('jobs.targets.required'));
    },
  };
}
