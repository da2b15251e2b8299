import type {
  AlertDetail,
  AlertSeverity,
  AlertStatus,
  AlertView,
  CreateIntegrationBody,
  InhibitRuleBody,
  InhibitRuleView,
  IntegrationType,
  IntegrationView,
  IntegrationWithKey,
  Page,
  RejectedPayloadView,
  SilenceBody,
  SilenceView,
  UpdateIntegrationBody,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

const ALERTS = '/alerts';
const INTEGRATIONS = '/integrations';
const SILENCES = '/silences';
const INHIBIT_RULES = '/inhibit-rules';

export interface AlertFilter {
  status?: AlertStatus | null;
  severity?: AlertSeverity | null;
  integrationId?: string | null;
  /** That node and everything below it. */
  nodeId?: string | null;
  hostId?: string | null;
  /** Text in the title or the labels. */
  q?: string;
}

/** The most recently seen first. */
export const listAlerts = (params: PageParams<AlertFilter> = {}) => http.get<Page<AlertView>>(ALERTS, { ...params });

/** With the last payload that carried it, as the sender posted it. */
export const getAlert = (id: string) => http.get<AlertDetail>(pathOf(ALERTS, id));

/** Those already acknowledged keep who did it first; answers how many were acknowledged now. */
export const ackAlerts = (ids: string[]) => http.post<{ acked: number }>(`${ALERTS}/ack`, { ids });

/** Newest first. */
export const listIntegrations = (params: PageParams<{ type?: IntegrationType | null }> = {}) => http.get<Page<IntegrationView>>(INTEGRATIONS, { ...params });

/** integration:admin; the answer holds the key, this once. */
export const createIntegration = (body: CreateIntegrationBody) => http.post<IntegrationWithKey>(INTEGRATIONS, body);

/** Fields left out keep their value; the type never changes. */
export const updateIntegration = (id: string, body: UpdateIntegrationBody) => http.put<IntegrationView>(pathOf(INTEGRATIONS, id), body);

/** Its alerts stay. */
export const deleteIntegration = (id: string) => http.delete(pathOf(INTEGRATIONS, id));

/** A new key, answered this once; the old one stops working at once. */
export const rotateIntegrationKey = (id: string) => http.post<IntegrationWithKey>(`${pathOf(INTEGRATIONS, id)}/rotate-key`);

/** What the integration's URL refused, newest first (the newest 1,000 are kept). */
export const listRejectedPayloads = (id: string, params: PageParams = {}) => http.get<Page<RejectedPayloadView>>(`${pathOf(INTEGRATIONS, id)}/rejected`, { ...params });

/** The full URL a sender posts to: the integration's ingest path with its key, on this console's origin. */
export const ingestUrl = (integration: Pick<IntegrationView, 'ingestPath'>, key: string): string =>
  `${window.location.origin}${integration.ingestPath.replace('{key}', encodeURIComponent(key))}`;

/** The ingest URL with the key hidden, to show where it is not known. */
export const ingestUrlTemplate = (integration: Pick<IntegrationView, 'ingestPath'>): string => `${window.location.origin}${integration.ingestPath}`;

/** Newest first; `state`: pending, active or expired. */
export const listSilences = (params: PageParams<{ state?: SilenceView['state'] | null }> = {}) => http.get<Page<SilenceView>>(SILENCES, { ...params });

export const createSilence = (body: SilenceBody) => http.post<SilenceView>(SILENCES, body);

/** Replaces the whole silence. */
export const replaceSilence = (id: string, body: SilenceBody) => http.put<SilenceView>(pathOf(SILENCES, id), body);

export const deleteSilence = (id: string) => http.delete(pathOf(SILENCES, id));

/** Ends it now, by the server's clock. */
export const expireSilence = (id: string) => http.post<SilenceView>(`${pathOf(SILENCES, id)}/expire`);

/** All of them (a handful), as the server keeps them. */
export const listInhibitRules = () => http.get<{ items: InhibitRuleView[] }>(INHIBIT_RULES);

export const createInhibitRule = (body: InhibitRuleBody) => http.post<InhibitRuleView>(INHIBIT_RULES, body);

/** Replaces the whole rule (switching it on or off too). */
export const replaceInhibitRule = (id: string, body: InhibitRuleBody) => http.put<InhibitRuleView>(pathOf(INHIBIT_RULES, id), body);

export const deleteInhibitRule = (id: string) => http.delete(pathOf(INHIBIT_RULES, id));
