import { dateEnUS, dateZhCN, enUS, zhCN, type NDateLocale, type NLocale } from 'naive-ui';
import { computed } from 'vue';
import { i18n } from './index';

/** Naive UI's own texts (date pickers, pagination, empty tables) follow the console's language. */
export const naiveLocale = computed<{ locale: NLocale; dateLocale: NDateLocale }>(() =>
  i18n.global.locale.value === 'zh-CN' ? { locale: zhCN, dateLocale: dateZhCN } : { locale: enUS, dateLocale: dateEnUS },
);
