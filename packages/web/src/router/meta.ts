import type { Component } from 'vue';
import type { PermissionNeed } from '../platform/auth/store';

/** Menu groups, in menu order (after the pages outside any group). */
export const MENU_GROUPS = ['cmdb', 'ops', 'oncall', 'notify', 'admin'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

/** Where a page sits in the side menu; pages without it are reached by links only. */
export interface MenuPlacement {
  icon: Component;
  /**
   * Grouped pages: `cmdb` under CMDB (service tree, hosts, apps), `ops` under Operations (run scripts, agents),
   * `oncall` under Alerts & on-call (incidents, alerts, silences, schedules, escalation, routing),
   * `notify` under Notifications (channels, delivery log, outbound policy), `admin` under Administration.
   * Each area's route module places its own pages; `order` sorts them within the group.
   */
  group?: MenuGroup;
  order: number;
}

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (tab title, menu label). */
    titleKey?: string;
    /** Reachable without signing in. */
    public?: boolean;
    /** Needed to open the page; any one of a list will do. */
    permission?: PermissionNeed;
    /** The page narrows itself to the tree nodes the user holds `permission` on: a node grant is enough to open it. */
    nodeScoped?: boolean;
    menu?: MenuPlacement;
  }
}

export {};
