import { permits, type LoginBody, type MeResult } from '@opsline/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '../../api/auth';
import { ApiError, setCsrfToken } from '../../api/client';

/** A route's or a button's need: one permission, or any of several. */
export type PermissionNeed = string | readonly string[] | undefined;

/** The signed-in user and what they may do, from `GET /auth/me`. */
export const useAuthStore = defineStore('auth', () => {
  const me = ref<MeResult | null>(null);
  const loaded = ref(false);
  /** Set when a call answered 401 mid-session, so the login page can say why. */
  const sessionExpired = ref(false);
  let loading: Promise<void> | null = null;

  const user = computed(() => me.value?.user ?? null);
  const signedIn = computed(() => me.value !== null);
  const permissions = computed(() => me.value?.permissions ?? []);

  function apply(result: MeResult | null): void {
    me.value = result;
    setCsrfToken(result?.csrfToken ?? null);
    loaded.value = true;
  }

  async function load(): Promise<void> {
    try {
      apply(await authApi.getMe());
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) apply(null);
      else throw err;
    }
  }

  /** Loads the session once; later calls reuse the answer. */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    loading ??= load().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function signIn(body: LoginBody): Promise<void> {
    const result = await authApi.login(body);
    setCsrfToken(result.csrfToken);
    sessionExpired.value = false;
    // The login answer has no permissions; /auth/me has them.
    await load();
  }

  async function signOut(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      apply(null);
    }
  }

  function markExpired(): void {
    if (me.value !== null) sessionExpired.value = true;
    apply(null);
  }

  const held = (granted: readonly string[], need: PermissionNeed): boolean => {
    if (need === undefined) return true;
    const needs = typeof need === 'string' ? [need] : need;
    return needs.some((n) => permits(granted, n));
  };

  /** Held globally. */
  const can = (need: PermissionNeed): boolean => held(permissions.value, need);

  /** Held globally or through a grant on some tree node (pages that narrow themselves to those nodes). */
  const canSomewhere = (need: PermissionNeed): boolean => can(need) || held(me.value?.nodePermissions ?? [], need);

  /** May the user open a page with this meta? */
  const canOpen = (meta: { permission?: PermissionNeed; nodeScoped?: boolean }): boolean =>
    meta.nodeScoped ? canSomewhere(meta.permission) : can(meta.permission);

  return { me, user, signedIn, permissions, sessionExpired, loaded, load, ensureLoaded, signIn, signOut, markExpired, can, canSomewhere, canOpen };
});
