import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import './meta';
import { agentRoutes } from './modules/agents';
import { alertRoutes } from './modules/alerts';
import { auditRoutes } from './modules/audit';
import { automationRoutes } from './modules/automation';
import { authRoutes } from './modules/auth';
import { cmdbRoutes } from './modules/cmdb';
import { errorRoutes } from './modules/errors';
import { eventRoutes } from './modules/events';
import { execRoutes } from './modules/exec';
import { incidentRoutes } from './modules/incidents';
import { jobRoutes } from './modules/jobs';
import { notifyRoutes } from './modules/notify';
import { oncallRoutes } from './modules/oncall';
import { profileRoutes } from './modules/profile';
import { roleRoutes } from './modules/roles';
import { secretRoutes } from './modules/secrets';
import { teamRoutes } from './modules/teams';
import { treeRoutes } from './modules/tree';
import { userRoutes } from './modules/users';

const routes: RouteRecordRaw[] = [
  ...authRoutes,
  {
    path: '/',
    component: () => import('../platform/layout/AppLayout.vue'),
    children: [
      // The guard sends users who may not read events to the first page they may open.
      { path: '', name: 'home', redirect: { name: 'events-timeline' } },
      ...eventRoutes,
      ...treeRoutes,
      ...cmdbRoutes,
      ...execRoutes,
      ...jobRoutes,
      ...agentRoutes,
      ...automationRoutes,
      ...incidentRoutes,
      ...alertRoutes,
      ...oncallRoutes,
      ...notifyRoutes,
      ...userRoutes,
      ...teamRoutes,
      ...roleRoutes,
      ...secretRoutes,
      ...auditRoutes,
      ...profileRoutes,
      ...errorRoutes,
    ],
  },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});
