import type { CreateHostBody, HostImportReport, HostStatus, HostView, Page, SetSshCredentialBody, SshCredentialView, UpdateHostBody } from '@opsline/contracts';
import { ApiError, download, http, pathOf, request } from './client';
import type { PageParams } from './paging';

const HOSTS = '/hosts';

export interface HostFilter {
  /** Hosts bound to this node; with `descendants`, anywhere below it too. */
  nodeId?: string | null;
  descendants?: boolean;
  /** Part of a hostname or an IP address. */
  q?: string;
  status?: HostStatus | null;
}

/** Paged by hostname. */
export const listHosts = (params: PageParams<HostFilter> = {}) => http.get<Page<HostView>>(HOSTS, { ...params });

export const getHost = (id: string) => http.get<HostView>(pathOf(HOSTS, id));

/** `nodeIds` are the leaf nodes to bind the new host to. */
export const createHost = (body: CreateHostBody) => http.post<HostView>(HOSTS, body);

export const updateHost = (id: string, body: UpdateHostBody) => http.patch<HostView>(pathOf(HOSTS, id), body);

export const deleteHost = (id: string) => http.delete(pathOf(HOSTS, id));

/** Send a CSV file (columns HOST_CSV_COLUMNS); with `dryRun` the report says what would happen and nothing changes. */
export const importHosts = (csv: string, dryRun: boolean) =>
  request<HostImportReport>('POST', `${HOSTS}/import`, { query: { dryRun }, raw: { contentType: 'text/csv', text: csv } });

/** Every host matching the filters, as CSV (the same columns as the import). */
export const exportHosts = (filter: HostFilter) => download(`${HOSTS}/export`, { ...filter }, 'text/csv');

const nodeHosts = (nodeId: string) => `${pathOf('/tree/nodes', nodeId)}/hosts`;

/** Bind hosts to a leaf node. */
export const bindHosts = (nodeId: string, hostIds: string[]) => http.post<{ changed: number }>(nodeHosts(nodeId), { hostIds });

/** Unbind hosts from a leaf node (a DELETE with a body). */
export const unbindHosts = (nodeId: string, hostIds: string[]) => request<{ changed: number }>('DELETE', nodeHosts(nodeId), { body: { hostIds } });

const sshCredential = (hostId: string) => `${pathOf(HOSTS, hostId)}/ssh-credential`;

/** How the server reaches the host over SSH (never the secret); null when it has no credential. */
export async function getSshCredential(hostId: string): Promise<SshCredentialView | null> {
  try {
    return await http.get<SshCredentialView>(sshCredential(hostId));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Sets or replaces it: a password or a private key, sealed at rest and never answered. */
export const setSshCredential = (hostId: string, body: SetSshCredentialBody) => http.post<SshCredentialView>(sshCredential(hostId), body);

/** The host can then be reached by an agent only. */
export const deleteSshCredential = (hostId: string) => http.delete(sshCredential(hostId));
