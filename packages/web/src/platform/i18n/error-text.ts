import { ApiError, CLIENT_ERROR } from '../../api/client';
import { formatDateTime } from '../format/datetime';
import { i18n } from './index';

function lockedUntil(details: unknown): string | null {
  if (typeof details !== 'object' || details === null || !('lockedUntil' in details)) return null;
  const until = details.lockedUntil;
  return typeof until === 'string' ? until : null;
}

/** When to try again: the lock's end as a local time, else the Retry-After seconds. */
function retryHint(err: ApiError): string {
  const { t, locale } = i18n.global;
  const until = lockedUntil(err.details);
  if (until) return t('errors.retryAt', { time: formatDateTime(until, locale.value) });
  if (err.retryAfterSeconds !== null) return t('errors.retryAfter', { seconds: err.retryAfterSeconds });
  return '';
}

/**
 * What to tell the user about a failed call. A language with a text for the
 * error code uses it; otherwise the server's own message (English, and often
 * more specific) is shown as it is. Lockouts and rate limits say when to retry.
 */
export function errorText(err: unknown): string {
  const { t } = i18n.global;
  if (err instanceof ApiError) {
    if (err.code === CLIENT_ERROR.network) return t('errors.network');
    if (err.code === CLIENT_ERROR.badResponse) return t('errors.badResponse', { status: err.status });
    const key = `apiErrors.${err.code}`;
    const text = i18n.global.te(key) ? t(key) : err.message;
    const hint = retryHint(err);
    return hint ? `${text} ${hint}` : text;
  }
  return err instanceof Error ? err.message : t('errors.unknown');
}
