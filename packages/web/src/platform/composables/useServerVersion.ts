import { onMounted, ref } from 'vue';
import { getHealth } from '../../api/health';

/** The server's version for a footer; stays `null` if the server does not say. */
export function useServerVersion() {
  const version = ref<string | null>(null);
  onMounted(() => {
    getHealth()
      .then((h) => (version.value = h.version))
      .catch(() => (version.value = null));
  });
  return version;
}
