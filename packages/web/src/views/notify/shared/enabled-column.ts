import { NSwitch, type DataTableColumn } from 'naive-ui';
import { h } from 'vue';
import { statusTag } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

/**
 * A rule's or channel's on/off: a switch saved at once for who may change it
 * (spinning while `toggling` holds the row), an On/Off tag for the others.
 */
export function enabledColumn<T extends { id: string; enabled: boolean }>(opts: {
  title: string;
  canChange: boolean;
  toggling: ReadonlySet<string>;
  testId: string;
  onToggle: (row: T, enabled: boolean) => void;
}): DataTableColumn<T> {
  const { t } = i18n.global;
  return {
    key: 'enabled',
    title: opts.title,
    width: 90,
    render: (row) =>
      opts.canChange
        ? h(NSwitch, { value: row.enabled, size: 'small', loading: opts.toggling.has(row.id), 'data-testid': opts.testId, onUpdateValue: (v: boolean) => opts.onToggle(row, v) })
        : statusTag(t(row.enabled ? 'notify.enabledStates.on' : 'notify.enabledStates.off'), row.enabled ? 'success' : 'default', opts.testId),
  };
}
