import type { SelectOption } from 'naive-ui';
import { computed, watch, type Ref } from 'vue';

export interface ChoiceOption extends SelectOption {
  value: string;
  label: string;
}

/**
 * Options of a search-as-you-type select that keeps showing what is chosen:
 * the chosen values first (named by `known` — what an edited record already
 * holds — or by an earlier search's result), then the current results.
 */
export function useChosenOptions<T>(
  results: Ref<T[]>,
  toOption: (item: T) => ChoiceOption,
  known: () => readonly ChoiceOption[],
  chosen: () => readonly string[],
) {
  const seen = new Map<string, ChoiceOption>();
  watch(results, (items) => items.forEach((i) => seen.set(toOption(i).value, toOption(i))));

  return computed<ChoiceOption[]>(() => {
    const byId = new Map<string, ChoiceOption>();
    const knownById = new Map(known().map((o) => [o.value, o]));
    for (const id of chosen()) {
      const option = knownById.get(id) ?? seen.get(id);
      if (option) byId.set(id, option);
    }
    for (const item of results.value) {
      const option = toOption(item);
      byId.set(option.value, option);
    }
    return [...byId.values()];
  });
}
