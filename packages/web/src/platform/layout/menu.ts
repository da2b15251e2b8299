import { SettingsOutline } from '@vicons/ionicons5';
import { NIcon, type MenuOption } from 'naive-ui';
import { h, type Component } from 'vue';
import { RouterLink, type RouteRecordNormalized, type Router } from 'vue-router';
import { i18n } from '../i18n';

/** Routes that declare a menu placement, in menu order. */
export function menuRoutes(router: Router): RouteRecordNormalized[] {
  return router
    .getRoutes()
    .filter((r) => r.meta.menu && r.name)
    .sort((a, b) => {
      const ga = a.meta.menu?.group ? 1 : 0;
      const gb = b.meta.menu?.group ? 1 : 0;
      return ga - gb || (a.meta.menu?.order ?? 0) - (b.meta.menu?.order ?? 0);
    });
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
  const admin = visible.filter((r) => r.meta.menu?.group === 'admin').map(item);
  if (admin.length > 0) {
    top.push({ key: 'group-admin', label: i18n.global.t('menu.admin'), icon: icon(SettingsOutline), children: admin });
  }
  return top;
}
