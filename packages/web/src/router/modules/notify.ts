import { GlobeOutline, MegaphoneOutline, PaperPlaneOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The notification center (通知中心): channels (通知渠道), what was sent
 * (发送记录) and the outbound policy (出站策略). notify:read opens them;
 * notify:admin changes them.
 */
export const notifyRoutes: RouteRecordRaw[] = [
  {
    path: 'notify/channels',
    name: 'notify-channels',
    component: () => import('../../views/notify/channels/index.vue'),
    meta: { titleKey: 'notify.menu.channels', permission: 'notify:read', menu: { icon: MegaphoneOutline, group: 'notify', order: 10 } },
  },
  {
    path: 'notify/deliveries',
    name: 'notify-deliveries',
    component: () => import('../../views/notify/deliveries/index.vue'),
    meta: { titleKey: 'notify.menu.deliveries', permission: 'notify:read', menu: { icon: PaperPlaneOutline, group: 'notify', order: 20 } },
  },
  {
    path: 'notify/outbound-policy',
    name: 'notify-outbound-policy',
    component: () => import('../../views/notify/outbound-policy/index.vue'),
    meta: { titleKey: 'notify.menu.outboundPolicy', permission: 'notify:read', menu: { icon: GlobeOutline, group: 'notify', order: 30 } },
  },
];
