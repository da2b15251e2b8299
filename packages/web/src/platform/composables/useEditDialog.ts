import { computed, shallowRef, type ShallowRef } from 'vue';

/**
 * Which item a list's edit dialog is open on: `null` closed, `'new'` creating,
 * an item editing. `show` is for `v-model:show`; closing clears the item.
 * `saved` closes, then runs the list's own follow-up (invalidate, refresh).
 */
export function useEditDialog<T>(afterSave: () => Promise<unknown>) {
  const editing: ShallowRef<T | 'new' | null> = shallowRef(null);
  const show = computed({
    get: () => editing.value !== null,
    set: (v: boolean) => {
      if (!v) editing.value = null;
    },
  });
  /** The item being edited, `null` when creating: what the form takes. */
  const subject = computed<T | null>(() => {
    const value = editing.value;
    return value === 'new' ? null : value;
  });

  function open(item: T | 'new'): void {
    editing.value = item;
  }
  function close(): void {
    editing.value = null;
  }
  function saved(): void {
    editing.value = null;
    void afterSave();
  }
  return { editing, show, subject, open, close, saved };
}
