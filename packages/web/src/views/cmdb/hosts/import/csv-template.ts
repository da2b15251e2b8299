import { HOST_CSV_COLUMNS, type HostCsvColumn } from '@opsline/contracts';
import { saveFile } from '../../../../platform/download';

/** One host as the import wants it: lists in a cell are `;`-separated, disks are mount:sizeGb, nodes are leaf paths. */
const EXAMPLE: Record<HostCsvColumn, string> = {
  hostname: 'web-01',
  ips: '10.0.0.11;10.0.0.12',
  os: 'Debian 12',
  cpu_cores: '8',
  memory_mb: '16384',
  disks: '/:100;/data:500',
  labels: 'env=prod;team=web',
  status: 'online',
  owner: 'admin',
  nodes: 'biz.shop.web',
};

/** The header row and one example row. */
export const HOST_CSV_TEMPLATE = `${HOST_CSV_COLUMNS.join(',')}\n${HOST_CSV_COLUMNS.map((c) => EXAMPLE[c]).join(',')}\n`;

export function downloadHostCsvTemplate(): void {
  saveFile(new Blob([HOST_CSV_TEMPLATE], { type: 'text/csv;charset=utf-8' }), 'hosts-template.csv');
}
