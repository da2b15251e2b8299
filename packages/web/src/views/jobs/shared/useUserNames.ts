import { onMounted } from 'vue';
import { useAuthStore } from '../../../platform/auth/store';
import { shortId } from '../../../platform/format/id';
import { useUsersStore } from '../../../stores/users';

/**
 * Usernames for the user ids the job center's answers carry (who saved a
 * version, who started a run), from the users directory when the user may
 * read it; otherwise the id, shortened.
 */
export function useUserNames() {
  const auth = useAuthStore();
  const users = useUsersStore();
  onMounted(() => {
    if (auth.can('user:read')) void users.ensure();
  });
  return {
    of: (id: string | null): string => (id ? (users.byId.get(id)?.username ?? shortId(id)) : '—'),
  };
}
