import { permits, type EffectivePermissions, type TreeNodeView } from '@opsline/contracts';
import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { getEffectivePermissions } from '../../api/tree';
import { useAuthStore } from '../../platform/auth/store';

/**
 * What you may do on the selected node: your effective permissions there
 * (global grants and grants on its path). Until they arrive, your global
 * permissions stand in. A path-only node is read-only whatever they say.
 */
export function useNodeAccess(node: Ref<TreeNodeView>) {
  const auth = useAuthStore();
  const effective = shallowRef<EffectivePermissions | null>(null);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    const id = node.value.id;
    loading.value = true;
    error.value = null;
    try {
      const result = await getEffectivePermissions(id);
      if (mine === seq) effective.value = result;
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  // A rename or move can change what applies (a new path, other grants above it).
  watch(
    () => `${node.value.id}|${node.value.path}`,
    () => {
      effective.value = null;
      void load();
    },
    { immediate: true },
  );

  const current = computed(() => (effective.value?.nodeId === node.value.id ? effective.value : null));

  function can(permission: string): boolean {
    if (node.value.pathOnly) return false;
    const held = current.value;
    return held ? permits(held.permissions, permission) : auth.can(permission);
  }

  return { effective: current, loading, error, reload: load, can };
}

export type NodeAccess = ReturnType<typeof useNodeAccess>;
