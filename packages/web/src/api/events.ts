import type { EventSeverity, EventView, Page } from '@opsline/contracts';
import { API_BASE, http, toQueryString } from './client';
import type { PageParams } from './paging';

export interface EventFilter {
  /** Exact name, or a prefix ending in `.`. */
  type?: string | null;
  severity?: EventSeverity | null;
  resourceType?: string;
  resourceId?: string;
  nodeId?: string;
  since?: string | null;
  until?: string | null;
}

export const listEvents = (params: PageParams<EventFilter> = {}) => http.get<Page<EventView>>('/events', { ...params });

export interface EventStreamFilter {
  type?: string;
  nodeId?: string;
}

/**
 * The live stream (SSE). Each message is `event: event` with an EventView as
 * data; the browser's EventSource reconnects by itself and sends Last-Event-ID.
 */
export function openEventStream(filter: EventStreamFilter): EventSource {
  return new EventSource(`${API_BASE}/events/stream${toQueryString({ ...filter })}`, { withCredentials: false });
}
