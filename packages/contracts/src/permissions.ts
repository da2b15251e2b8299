/**
 * Permissions are `resource:action` strings. Later modules add theirs here;
 * the console's role editor lists this registry.
 */
export const PERMISSIONS = {
  'user:read': 'List and view users',
  'user:write': 'Create, change, disable and delete users',
  'team:read': 'List and view teams',
  'team:write': 'Create, change and delete teams and their members',
  'role:read': 'List and view roles',
  'role:write': 'Create, change and delete custom roles',
  'grant:read': 'List role grants',
  'grant:write': 'Grant and revoke roles',
  'audit:read': 'Read the audit log',
  'event:read': 'Read the event timeline',
  'token:admin': 'List and revoke every user\'s API tokens',
  'tree:read': 'See the service tree',
  'tree:write': 'Add, rename, move and delete service-tree nodes',
  'tree:admin': 'Delete a whole subtree at once, unbinding what is bound to it',
  'host:read': 'See hosts in the CMDB and export them',
  'host:write': 'Add, change, import, bind and delete hosts',
  'app:read': 'See apps and services',
  'app:write': 'Add, change and delete apps and services',
  'agent:read': 'See agents and enrollment tokens',
  'agent:admin': 'Create enrollment tokens, revoke agents, set SSH credentials of hosts',
  'exec:run': 'Run scripts on hosts (on the nodes they are bound to) and kill them',
  'script:read': 'See scripts and their versions',
  'script:write': 'Create, change and delete scripts (on their nodes)',
  'guard:admin': 'Manage dangerous-command rules and approve runs they hold',
  'job:read': 'See job templates and runs',
  'job:write': 'Create, change and delete job templates',
  'job:run': 'Run jobs on hosts (on the nodes above them); pause, resume, kill and retry runs',
  'notify:read': 'See notification channels and what was sent',
  'notify:admin': 'Create, change and delete notification channels and job alerts',
  'incident:read': 'See incidents, their timelines and suspects',
  'incident:write': 'Open, acknowledge, resolve, assign and annotate incidents',
  'incident:admin': 'Change the priority matrix, SLA targets, storm and grouping settings',
  'alert:read': 'See alerts, silences and alert integrations',
  'alert:write': 'Acknowledge alerts; create, change and delete silences',
  'integration:admin': 'Create, change and delete alert integrations, rotate their keys, read the payloads they refused',
  'workflow:write': 'Create, change and delete workflows',
  'workflow:run': 'Run workflows and resume failed workflow runs',
  'oncall:read': 'See on-call schedules, who is on call, escalation policies and routing rules',
  'oncall:admin': 'Create, change and delete on-call schedules and overrides, escalation policies and routing rules; edit anyone\'s notification rules',
  'secret:read': 'List stored credentials (never their values)',
  'secret:write': 'Store, replace and delete credentials',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** `*` grants everything, including permissions added later. */
export const ALL_PERMISSIONS = '*';

export const BUILTIN_ROLES = {
  admin: { description: 'Everything, including users, roles and grants', permissions: [ALL_PERMISSIONS] },
  operator: {
    description: 'Operates systems: reads everything, runs and changes operational resources',
    permissions: ['user:read', 'team:read', 'role:read', 'grant:read', 'audit:read', 'event:read', 'secret:read', 'tree:read', 'tree:write',
      'host:read', 'host:write', 'app:read', 'app:write', 'agent:read', 'exec:run', 'script:read', 'script:write', 'job:read', 'job:write', 'job:run', 'workflow:write', 'workflow:run',
      'incident:read', 'incident:write', 'alert:read', 'alert:write', 'oncall:read', 'oncall:admin'],
  },
  developer: {
    description: 'Builds and ships software; reads the people and the timeline',
    permissions: ['user:read', 'team:read', 'role:read', 'event:read', 'tree:read', 'host:read', 'app:read', 'app:write', 'script:read', 'job:read', 'incident:read', 'alert:read', 'oncall:read'],
  },
  viewer: {
    description: 'Reads what they are granted, changes nothing',
    permissions: ['user:read', 'team:read', 'role:read', 'event:read', 'tree:read', 'host:read', 'app:read', 'script:read', 'job:read', 'incident:read', 'alert:read', 'oncall:read'],
  },
} as const satisfies Record<string, { description: string; permissions: readonly string[] }>;

export type BuiltinRoleName = keyof typeof BUILTIN_ROLES;

/** True when `granted` (a role's permission list) covers `needed`. */
export function permits(granted: readonly string[], needed: string): boolean {
  if (granted.includes(ALL_PERMISSIONS) || granted.includes(needed)) return true;
  const [resource] = needed.split(':');
  return granted.includes(`${resource}:*`);
}
