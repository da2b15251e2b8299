import type { FormInst } from 'naive-ui';
import { ref, watch, type WatchSource } from 'vue';
import { useFormSubmit, type FormSubmitOptions } from './useFormSubmit';

/**
 * A form in a modal or drawer that starts afresh each time it opens: `reset`
 * refills the model (and may start loading what the form offers), and the
 * messages of the last attempt go. Bind `formRef` as the NForm's ref.
 */
export function useDialogForm<M extends object>(show: WatchSource<boolean>, model: M, reset: () => void, options: FormSubmitOptions = {}) {
  const formRef = ref<FormInst | null>(null);
  const form = useFormSubmit(formRef, model, options);
  watch(show, (open) => {
    if (!open) return;
    reset();
    form.clearErrors();
  });
  return { formRef, ...form };
}
