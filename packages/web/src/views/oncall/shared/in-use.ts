import { ApiError } from '../../../api/client';
import { i18n } from '../../../platform/i18n';
import { errorText } from '../../../platform/i18n/error-text';

function namesIn(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  const list = 'rules' in details ? details.rules : 'policies' in details ? details.policies : null;
  if (!Array.isArray(list)) return [];
  return list.flatMap((x: unknown) => (typeof x === 'object' && x !== null && 'name' in x && typeof x.name === 'string' ? [x.name] : []));
}

/**
 * A refused delete (409 …_IN_USE) said with what still uses the thing, from
 * the server's details: the server's English message names them already; a
 * translated one gets them added.
 */
export function refusalText(err: unknown): string {
  const text = errorText(err);
  if (!(err instanceof ApiError)) return text;
  const names = namesIn(err.details);
  if (names.length === 0 || names.every((n) => text.includes(n))) return text;
  return `${text}${i18n.global.t('oncall.usedBy', { names: names.join(i18n.global.t('oncall.nameSeparator')) })}`;
}

/** Runs a delete; a refusal is rethrown with `refusalText`, for useConfirm to show. */
export async function deleting(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) throw new Error(refusalText(err));
    throw err;
  }
}
