import { DocumentTextOutline, LayersOutline, ListOutline, PulseOutline, ShieldHalfOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The job center under Operations: the script library (脚本管理), job
 * templates (作业模板), job runs (作业实例) with a page per run, the
 * dangerous-command guard's rules (高危命令), and job alerts (预警配置).
 */
export const jobRoutes: RouteRecordRaw[] = [
  {
    path: 'jobs/scripts',
    name: 'jobs-scripts',
    component: () => import('../../views/jobs/scripts/index.vue'),
    // Scripts live on tree nodes: a grant of script:read on a node is enough.
    meta: { titleKey: 'jobs.menu.scripts', permission: 'script:read', nodeScoped: true, menu: { icon: DocumentTextOutline, group: 'ops', order: 30 } },
  },
  {
    path: 'jobs/templates',
    name: 'jobs-templates',
    component: () => import('../../views/jobs/templates/index.vue'),
    meta: { titleKey: 'jobs.menu.templates', permission: 'job:read', menu: { icon: LayersOutline, group: 'ops', order: 40 } },
  },
  {
    path: 'jobs/runs',
    name: 'jobs-runs',
    component: () => import('../../views/jobs/runs/index.vue'),
    meta: { titleKey: 'jobs.menu.runs', permission: 'job:read', menu: { icon: ListOutline, group: 'ops', order: 50 } },
  },
  {
    path: 'jobs/runs/:id',
    name: 'jobs-run',
    component: () => import('../../views/jobs/run/index.vue'),
    meta: { titleKey: 'jobs.menu.run', permission: 'job:read' },
  },
  {
    path: 'jobs/guard-rules',
    name: 'jobs-guard-rules',
    component: () => import('../../views/jobs/guard-rules/index.vue'),
    // Everyone who reads scripts sees the rules; guard:admin changes them.
    meta: { titleKey: 'jobs.menu.guardRules', permission: 'script:read', nodeScoped: true, menu: { icon: ShieldHalfOutline, group: 'ops', order: 60 } },
  },
  {
    path: 'jobs/alerts',
    name: 'jobs-alerts',
    component: () => import('../../views/jobs/alerts/index.vue'),
    // Who reads jobs sees the rules; notify:admin changes them.
    meta: { titleKey: 'jobAlerts.menu', permission: 'job:read', menu: { icon: PulseOutline, group: 'ops', order: 65 } },
  },
];
