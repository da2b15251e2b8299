import type { HTMLAttributes, Ref } from 'vue';

/**
 * Row props for an expandable table whose rows open and close on a click
 * anywhere (the arrow does so by itself): `expanded` holds the open rows' keys,
 * `attrs` adds the row's own attributes (data-* included, which
 * HTMLAttributes does not list: spread, they still reach the row).
 */
export function useRowToggle<T>(expanded: Ref<string[]>, keyOf: (row: T) => string, attrs: (row: T) => Record<string, unknown>) {
  function toggle(key: string): void {
    expanded.value = expanded.value.includes(key) ? expanded.value.filter((k) => k !== key) : [...expanded.value, key];
  }
  return (row: T): HTMLAttributes => ({
    ...attrs(row),
    onClick: (e: MouseEvent) => {
      if (!(e.target instanceof Element) || !e.target.closest('.n-data-table-expand-trigger')) toggle(keyOf(row));
    },
  });
}
