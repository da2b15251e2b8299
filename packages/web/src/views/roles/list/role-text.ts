import type { RoleView } from '@opsline/contracts';
import { i18n } from '../../../platform/i18n';

/** Built-in roles' and permissions' descriptions in the console's language; others as the server has them. */
export function roleDescription(role: Pick<RoleView, 'name' | 'description' | 'builtin'>): string {
  const key = `roles.builtinDescriptions.${role.name}`;
  return role.builtin && i18n.global.te(key) ? i18n.global.t(key) : role.description;
}

export function permissionDescription(name: string, fallback: string): string {
  const key = `permissions.${name.replace(':', '_')}`;
  return i18n.global.te(key) ? i18n.global.t(key) : fallback;
}
