import type { PermissionInfo, RoleView } from '@opsline/contracts';
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { listPermissions, listRoles } from '../api/roles';
import { useDirectory } from './directory';

/** Every role (for role pickers) and the permission registry (for the role editor). */
export const useRolesStore = defineStore('roles', () => {
  const directory = useDirectory<RoleView>((p) => listRoles(p));
  const options = computed(() => directory.items.value.map((r) => ({ value: r.name, label: r.name })));

  const permissions = shallowRef<PermissionInfo[]>([]);
  let permissionsLoad: Promise<PermissionInfo[]> | null = null;
  /** The registry changes only with a server upgrade: load it once. */
  async function ensurePermissions(): Promise<void> {
    permissionsLoad ??= listPermissions().then((r) => r.items);
    try {
      permissions.value = await permissionsLoad;
    } catch (err) {
      permissionsLoad = null;
      throw err;
    }
  }

  return { ...directory, options, permissions, ensurePermissions };
});
