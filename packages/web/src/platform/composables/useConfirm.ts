import { useDialog, useMessage } from 'naive-ui';
import { i18n } from '../i18n';
import { errorText } from '../i18n/error-text';

export interface ConfirmOptions {
  title: string;
  content: string;
  positiveText: string;
  /** Runs on confirm; the button shows progress until it settles. */
  action: () => Promise<void>;
  /** Said when the action went through. */
  success?: string;
  danger?: boolean;
}

/** Ask before a destructive action, run it with progress, and report the outcome. */
export function useConfirm() {
  const dialog = useDialog();
  const message = useMessage();

  return function confirm(options: ConfirmOptions): void {
    const d = dialog[options.danger === false ? 'info' : 'warning']({
      title: options.title,
      content: options.content,
      positiveText: options.positiveText,
      negativeText: i18n.global.t('common.cancel'),
      // ButtonProps lists no data-* attributes; spread, they still reach the button.
      positiveButtonProps: { type: options.danger === false ? 'primary' : 'error', ...{ 'data-testid': 'confirm-ok' } },
      onPositiveClick: async () => {
        d.loading = true;
        try {
          await options.action();
          if (options.success) message.success(options.success);
        } catch (err) {
          message.error(errorText(err), { duration: 6000 });
        }
      },
    });
  };
}
