import type {
  CreateIncidentBody,
  GroupingRuleBody,
  GroupingRuleView,
  IncidentDashboard,
  IncidentAlerts,
  IncidentSettings,
  IncidentStatus,
  IncidentView,
  Page,
  Priority,
  SuspectChange,
  TimelineEntry,
  UpdateIncidentBody,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

const INCIDENTS = '/incidents';
const GROUPING_RULES = '/grouping-rules';

export interface IncidentFilter {
  status?: IncidentStatus | null;
  /** `true`: triggered or acknowledged; `false`: resolved. */
  open?: boolean | null;
  priority?: Priority | null;
  assigneeId?: string | null;
  nodeId?: string | null;
  /** Those holding this alert. */
  alertId?: string | null;
  /** Part of the title, or the number. */
  q?: string;
}

/** Newest first. */
export const listIncidents = (params: PageParams<IncidentFilter> = {}) => http.get<Page<IncidentView>>(INCIDENTS, { ...params });

export const getIncident = (id: string) => http.get<IncidentView>(pathOf(INCIDENTS, id));

/** By hand: the priority follows impact × urgency through the settings' matrix. */
export const createIncident = (body: CreateIncidentBody) => http.post<IncidentView>(INCIDENTS, body);

/** Title, description, impact, urgency (the priority follows) or the postmortem. */
export const updateIncident = (id: string, body: UpdateIncidentBody) => http.patch<IncidentView>(pathOf(INCIDENTS, id), body);

/** Only a triggered incident is acknowledged (409 INCIDENT_STATE otherwise); paging stops at once. */
export const acknowledgeIncident = (id: string, comment?: string) => http.post<IncidentView>(`${pathOf(INCIDENTS, id)}/ack`, comment ? { comment } : {});

/** 409 INCIDENT_STATE when it is resolved already. */
export const resolveIncident = (id: string, comment?: string) => http.post<IncidentView>(`${pathOf(INCIDENTS, id)}/resolve`, comment ? { comment } : {});

export const assignIncident = (id: string, userId: string) => http.post<IncidentView>(`${pathOf(INCIDENTS, id)}/assign`, { userId });

export const addIncidentNote = (id: string, text: string) => http.post<{ ok: true }>(`${pathOf(INCIDENTS, id)}/notes`, { text });

/** Everything that happened to it, oldest first. */
export const getIncidentTimeline = (id: string) => http.get<{ items: TimelineEntry[] }>(`${pathOf(INCIDENTS, id)}/timeline`);

/** Suspects: changes on its node and below in the `hours` before it opened, newest first. */
export const getIncidentSuspects = (id: string, hours: number) => http.get<{ items: SuspectChange[] }>(`${pathOf(INCIDENTS, id)}/changes`, { hours });

export const getIncidentDashboard = (days: 7 | 30) => http.get<IncidentDashboard>(`${INCIDENTS}/dashboard`, { days });

export const getIncidentSettings = () => http.get<IncidentSettings>(`${INCIDENTS}/settings`);

/** incident:admin. */
export const saveIncidentSettings = (body: IncidentSettings) => http.put<IncidentSettings>(`${INCIDENTS}/settings`, body);

/** In the order they are tried. */
export const listGroupingRules = () => http.get<{ items: GroupingRuleView[] }>(GROUPING_RULES);

export const createGroupingRule = (body: GroupingRuleBody) => http.post<GroupingRuleView>(GROUPING_RULES, body);

/** Replaces the whole rule. */
export const updateGroupingRule = (id: string, body: GroupingRuleBody) => http.put<GroupingRuleView>(pathOf(GROUPING_RULES, id), body);

export const deleteGroupingRule = (id: string) => http.delete(pathOf(GROUPING_RULES, id));

/** Its alerts, newest first (`firing`: only those still firing, or only resolved ones), and the total it holds. */
export const getIncidentAlerts = (id: string, firing: boolean | null, limit = 100) =>
  http.get<IncidentAlerts>(`${pathOf(INCIDENTS, id)}/alerts`, { limit, ...(firing !== null && { firing: String(firing) }) });
