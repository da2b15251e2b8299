import { useMessage } from 'naive-ui';
import { i18n } from '../i18n';

/**
 * Copy text, falling back to a selection copy where the Clipboard API is
 * missing (plain HTTP on a host other than localhost).
 */
export function useClipboard() {
  const message = useMessage();

  function legacyCopy(text: string): boolean {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }

  return async function copy(text: string): Promise<void> {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      } else {
        ok = legacyCopy(text);
      }
    } catch {
      ok = legacyCopy(text);
    }
    if (ok) message.success(i18n.global.t('common.copied'));
    else message.warning(i18n.global.t('common.copyFailed'));
  };
}
