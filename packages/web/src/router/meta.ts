import type { Component } from 'vue';
import type { PermissionNeed } from '../platform/auth/store';

/** Where a page sits in the side menu; pages without it are reached by links only. */
export interface MenuPlacement {
  icon: Component;
  /** `admin` pages are grouped under Administration. */
  group?: 'admin';
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
    menu?: MenuPlacement;
  }
}

export {};
