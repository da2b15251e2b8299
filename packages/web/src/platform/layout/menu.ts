import { AlbumsOutline, ConstructOutline, MegaphoneOutline, NotificationsOutline, SettingsOutline } from '@vicons/ionicons5';
import { NIcon, type MenuOption } from 'naive-ui';
import { h, type Component } from 'vue';
import { RouterLink, type RouteRecordNormalized, type Router } from 'vue-router';
import { MENU_GROUPS, type MenuGroup } from '../../router/meta';
import { i18n } from '../i18n';

const GROUP_ICONS: Record<MenuGroup, Component> = { cmdb: AlbumsOutline, ops: ConstructOutline, oncall: NotificationsOutline, notify: MegaphoneOutline, admin: SettingsOutline };

/** 0 for pages outside any group, then the groups in MENU_GROUPS order. */
const groupRank = (route: RouteRecordNormalized): number => {
  const group = route.meta.menu?.group;
  return group ? MENU_GROUPS.indexOf(group) + 1 : 0;
};

/** Routes that declare a menu placement, in menu order. */
export function menuRoutes(router: Router): RouteRecordNormalized[] {
  return router
    .getRoutes()
    .filter((r) => r.meta.menu && r.name)
    .sort((a, b) => groupRank(a) - groupRank(b) || (a.meta.menu?.order ?? 0) - (b.meta.menu?.order ?? 0));
}

const icon = (component: Component) => () => h(NIcon, null, { default: () => h(component) });

function item(route: RouteRecordNormalized): MenuOption {
  const name = String(route.name);
  return {
    key: name,
    icon: route.meta.menu ? icon(route.meta.menu.icon) : undefined,
    // A real link: middle-click and "open in new tab" work.
    label: () =>
      h(RouterLink, { to: { name }, 'data-testid': `menu-${name}` }, { default: () => i18n.global.t(route.meta.titleKey ?? name) }),
  };
}

/**
 * The side menu: only pages that exist and that `allowed` lets this user
 * open. Rebuilt when the language changes (labels are render functions).
 */
export function buildMenu(router: Router, allowed: (route: RouteRecordNormalized) => boolean): MenuOption[] {
  const visible = menuRoutes(router).filter(allowed);
  const top = visible.filter((r) => !r.meta.menu?.group).map(item);
  for (const group of MENU_GROUPS) {
    const children = visible.filter((r) => r.meta.menu?.group === group).map(item);
    if (children.length > 0) top.push({ key: `group-${group}`, label: i18n.global.t(`menu.${group}`), icon: icon(GROUP_ICONS[group]), children });
  }
  return top;
}
