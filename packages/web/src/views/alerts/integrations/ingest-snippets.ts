/** What a sender is set up with, for the how-to under an ingest URL. */

/** The receiver to add to alertmanager.yml. */
export const alertmanagerSnippet = (url: string): string =>
  ['receivers:', '  - name: opsline', '    webhook_configs:', `      - url: ${url}`, '        send_resolved: true'].join('\n');

/** A test post with curl, in the default field mapping's shape. */
export const webhookSnippet = (url: string): string =>
  [
    `curl -X POST '${url}' \\`,
    "  -H 'Content-Type: application/json' \\",
    `  -d '{"title":"CPU usage high","severity":"critical","status":"firing","dedupKey":"cpu-web-1","host":"web-1","labels":{"service":"shop"}}'`,
  ].join('\n');

/** Where the Zabbix media type's script is, in the Opsline repository. */
export const ZABBIX_SCRIPT = 'docs/integrations/zabbix-media-type.js';
