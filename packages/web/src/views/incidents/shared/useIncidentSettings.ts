import { getIncidentSettings } from '../../../api/incidents';
import { useLoaded } from '../../../platform/composables/useLoaded';

/**
 * The incident settings (priority matrix, SLA targets, grouping defaults),
 * read when asked: a form that previews a priority loads them each time it
 * opens, so a matrix just changed in the settings shows at once.
 */
export function useIncidentSettings() {
  const { data: settings, ...rest } = useLoaded(getIncidentSettings);
  return { settings, ...rest };
}
