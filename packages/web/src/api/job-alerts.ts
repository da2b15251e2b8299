import type { JobAlertBody, JobAlertView, Page } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

/** Job alerts (预警配置): which run outcomes, or runs going on too long, notify which channels. */

const ALERTS = '/job-alerts';

/** Newest first; job:read sees them, notify:admin changes them. */
export const listJobAlerts = (params: PageParams = {}) => http.get<Page<JobAlertView>>(ALERTS, { ...params });

export const getJobAlert = (id: string) => http.get<JobAlertView>(pathOf(ALERTS, id));

/** A channel that does not exist is a 404 NOTIFY_CHANNEL_NOT_FOUND naming `body.channelIds`. */
export const createJobAlert = (body: JobAlertBody) => http.post<JobAlertView>(ALERTS, body);

/** Replaces the whole rule. */
export const updateJobAlert = (id: string, body: JobAlertBody) => http.put<JobAlertView>(pathOf(ALERTS, id), body);

export const deleteJobAlert = (id: string) => http.delete(pathOf(ALERTS, id));
