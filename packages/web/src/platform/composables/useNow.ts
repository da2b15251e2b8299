import { onScopeDispose, readonly, ref, type Ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * The wall clock, ticking once a second while any component uses it
 * (countdowns): one timer for them all, so a table of fifty countdowns
 * changes in one render.
 */
export function useNow(): Readonly<Ref<number>> {
  users += 1;
  if (timer === undefined) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), 1000);
  }
  onScopeDispose(() => {
    users -= 1;
    if (users > 0 || timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  });
  return readonly(now);
}
