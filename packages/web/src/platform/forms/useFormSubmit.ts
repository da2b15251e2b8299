import type { FieldIssue } from '@opsline/contracts';
import type { FormInst } from 'naive-ui';
import { reactive, ref, watch, type Ref } from 'vue';
import { ApiError } from '../../api/client';
import { errorText } from '../i18n/error-text';
import { i18n } from '../i18n';

/** `body.roles.0` → `roles`: the form field a server issue belongs to. */
function fieldOf(path: string): string {
  const parts = path.split('.');
  const start = ['body', 'query', 'params'].includes(parts[0] ?? '') ? 1 : 0;
  return parts[start] ?? path;
}

export interface FormSubmitOptions {
  /** A form's own words for a server issue on a field (a refusal that names what it refused); null keeps the usual text. */
  issueText?: (err: ApiError, issue: FieldIssue) => string | null;
  /** The form field a server issue's path names, for a form whose fields are not the body's top-level ones (`body.config.url` → `url`). */
  fieldOf?: (path: string) => string;
}

/**
 * Submitting a form: client validation first, then the call, with progress
 * and the server's answer put where it belongs — field issues of a 400 on
 * their fields, anything else in `formError`. A server message on a field
 * goes away once that field is edited.
 */
export function useFormSubmit<M extends object>(formRef: Ref<FormInst | null>, model: M, options: FormSubmitOptions = {}) {
  const submitting = ref(false);
  const formError = ref<string | null>(null);
  const fieldErrors = reactive<Record<string, string>>({});

  function clearErrors(): void {
    formError.value = null;
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key];
  }

  watch(
    () => JSON.stringify(model),
    (now, before) => {
      const a = JSON.parse(now) as Record<string, unknown>;
      const b = JSON.parse(before) as Record<string, unknown>;
      for (const key of Object.keys(fieldErrors)) {
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) delete fieldErrors[key];
      }
    },
  );

  /** Bind on an NFormItem: `v-bind="field('username')"`. */
  function field(name: string): { feedback?: string; validationStatus?: 'error' } {
    const message = fieldErrors[name];
    return message ? { feedback: message, validationStatus: 'error' } : {};
  }

  /** Show an error from a call made outside `submit` the same way. */
  function showError(err: unknown): void {
    if (err instanceof ApiError && err.issues.length > 0) {
      // A 400 lists what is wrong with each field; another refusal tied to a field
      // (409 "username taken") is said on that field in the console's language.
      const invalid = err.code === 'VALIDATION_FAILED';
      for (const issue of err.issues) {
        fieldErrors[(options.fieldOf ?? fieldOf)(issue.field)] ??= options.issueText?.(err, issue) ?? (invalid ? issue.message : errorText(err));
      }
      if (invalid) formError.value = i18n.global.t('errors.checkFields');
      return;
    }
    formError.value = errorText(err);
  }

  /** Validates, runs `action`, and tells whether it went through. */
  async function submit(action: () => Promise<void>): Promise<boolean> {
    clearErrors();
    try {
      await formRef.value?.validate();
    } catch {
      return false;
    }
    submitting.value = true;
    try {
      await action();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, formError, fieldErrors, field, submit, clearErrors, showError };
}
