import { EllipsisHorizontal } from '@vicons/ionicons5';
import { NButton, NDropdown, NIcon, NSpace, NTag, type DropdownOption } from 'naive-ui';
import { h, type VNode } from 'vue';
import { shortId } from '../format/id';
import { testId as testIdAttr } from '../test-id';
import TimeText from './TimeText.vue';

/** Render helpers shared by the tables' column definitions. */

export const timeCell = (value: string | null, empty?: string): VNode => h(TimeText, { value, empty });

/** "2 minutes ago", the date on hover. */
export const relativeTimeCell = (value: string | null, empty?: string): VNode => h(TimeText, { value, empty, relative: true });

export type TagType = 'default' | 'info' | 'success' | 'warning' | 'error';

/** A state as a small borderless tag; `testId` marks it for the e2e. */
export const statusTag = (text: string, type: TagType, testId: string): VNode =>
  h(NTag, { size: 'small', bordered: false, type, 'data-testid': testId }, { default: () => text });

export const monoCell = (text: string | null): VNode => (text ? h('code', null, text) : h('span', { class: 'muted' }, '—'));

/** An id, shortened, with the whole id on hover. */
export const idCell = (id: string | null): VNode => (id ? h('code', { title: id }, shortId(id)) : h('span', { class: 'muted' }, '—'));

export function tagsCell(values: string[], type: 'default' | 'info' | 'success' | 'warning' = 'default', max = 4): VNode {
  if (values.length === 0) return h('span', { class: 'muted' }, '—');
  const shown = values.slice(0, max).map((v) => h(NTag, { size: 'small', type, bordered: false }, { default: () => v }));
  if (values.length > max) shown.push(h(NTag, { size: 'small', bordered: false }, { default: () => `+${values.length - max}` }));
  return h(NSpace, { size: 4, wrap: true }, { default: () => shown });
}

export interface RowAction {
  key: string;
  label: string;
  danger?: boolean;
  disabled?: boolean;
  run: () => void;
}

/** A primary action as a button and the rest in a "…" menu. */
export function actionsCell(primary: RowAction | null, more: RowAction[], testId: string): VNode {
  const children: VNode[] = [];
  if (primary) {
    children.push(
      h(
        NButton,
        { size: 'tiny', secondary: true, disabled: primary.disabled, onClick: primary.run, 'data-testid': `${testId}-${primary.key}` },
        { default: () => primary.label },
      ),
    );
  }
  if (more.length > 0) {
    const options: DropdownOption[] = more.map((a) => ({
      key: a.key,
      label: a.label,
      disabled: a.disabled,
      props: { ...testIdAttr(`${testId}-${a.key}`), class: a.danger ? 'dropdown-danger' : undefined },
    }));
    children.push(
      h(
        NDropdown,
        { trigger: 'click', options, onSelect: (key: string) => more.find((a) => a.key === key)?.run() },
        {
          default: () =>
            h(NButton, { size: 'tiny', quaternary: true, 'data-testid': `${testId}-more` }, { icon: () => h(NIcon, null, { default: () => h(EllipsisHorizontal) }) }),
        },
      ),
    );
  }
  return h(NSpace, { size: 4, justify: 'end', wrap: false }, { default: () => children });
}
