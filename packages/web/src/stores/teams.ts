import type { TeamView } from '@opsline/contracts';
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { listTeams } from '../api/teams';
import { useDirectory } from './directory';

/** Every team, for pickers and showing names for ids. */
export const useTeamsStore = defineStore('teams', () => {
  const directory = useDirectory<TeamView>((p) => listTeams(p));
  const options = computed(() => directory.items.value.map((t) => ({ value: t.id, label: t.name })));
  const nameOf = (id: string): string => directory.byId.value.get(id)?.name ?? id;
  return { ...directory, options, nameOf };
});
