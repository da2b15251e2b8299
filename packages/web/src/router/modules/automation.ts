import { AlarmOutline, ExtensionPuzzleOutline, GitMergeOutline, PlayCircleOutline, SpeedometerOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * Automation under Operations: the job dashboard, schedules (定时任务), workflows
 * (流程) with their runs, and the installed step types (插件). Detail pages are
 * reached by links only.
 */
export const automationRoutes: RouteRecordRaw[] = [
  {
    path: 'automation/dashboard',
    name: 'automation-dashboard',
    component: () => import('../../views/automation/dashboard/index.vue'),
    meta: { titleKey: 'automation.menu.dashboard', permission: 'job:read', menu: { icon: SpeedometerOutline, group: 'ops', order: 5 } },
  },
  {
    path: 'automation/schedules',
    name: 'automation-schedules',
    component: () => import('../../views/automation/schedules/index.vue'),
    meta: { titleKey: 'automation.menu.schedules', permission: 'job:read', menu: { icon: AlarmOutline, group: 'ops', order: 110 } },
  },
  {
    path: 'automation/schedules/:id',
    name: 'automation-schedule',
    component: () => import('../../views/automation/schedules/detail/index.vue'),
    meta: { titleKey: 'automation.menu.schedule', permission: 'job:read' },
  },
  {
    path: 'automation/workflows',
    name: 'automation-workflows',
    component: () => import('../../views/automation/workflows/index.vue'),
    meta: { titleKey: 'automation.menu.workflows', permission: 'job:read', menu: { icon: GitMergeOutline, group: 'ops', order: 120 } },
  },
  {
    path: 'automation/workflows/new',
    name: 'automation-workflow-new',
    component: () => import('../../views/automation/workflows/editor/index.vue'),
    meta: { titleKey: 'automation.menu.workflowNew', permission: 'workflow:write' },
  },
  {
    // Read-only without workflow:write.
    path: 'automation/workflows/:id',
    name: 'automation-workflow',
    component: () => import('../../views/automation/workflows/editor/index.vue'),
    meta: { titleKey: 'automation.menu.workflow', permission: 'job:read' },
  },
  {
    path: 'automation/workflow-runs',
    name: 'automation-workflow-runs',
    component: () => import('../../views/automation/workflow-runs/index.vue'),
    meta: { titleKey: 'automation.menu.workflowRuns', permission: 'job:read', menu: { icon: PlayCircleOutline, group: 'ops', order: 130 } },
  },
  {
    path: 'automation/workflow-runs/:id',
    name: 'automation-workflow-run',
    component: () => import('../../views/automation/workflow-runs/detail/index.vue'),
    meta: { titleKey: 'automation.menu.workflowRun', permission: 'job:read' },
  },
  {
    path: 'automation/plugins',
    name: 'automation-plugins',
    component: () => import('../../views/automation/plugins/index.vue'),
    meta: { titleKey: 'automation.menu.plugins', permission: 'job:read', menu: { icon: ExtensionPuzzleOutline, group: 'ops', order: 140 } },
  },
];
