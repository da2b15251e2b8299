import type { UserView } from '@opsline/contracts';
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { listUsers } from '../api/users';
import { useDirectory } from './directory';

/** Every user, for pickers (team members, grant subjects) and showing names for ids. */
export const useUsersStore = defineStore('users', () => {
  const directory = useDirectory<UserView>((p) => listUsers(p));
  const options = computed(() =>
    directory.items.value.map((u) => ({
      value: u.id,
      label: u.displayName && u.displayName !== u.username ? `${u.displayName} (${u.username})` : u.username,
    })),
  );
  const nameOf = (id: string | null): string => (id ? (directory.byId.value.get(id)?.username ?? id) : '');
  return { ...directory, options, nameOf };
});
