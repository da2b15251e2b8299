import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export type AppLocale = 'zh-CN' | 'en';
export type MessageSchema = typeof en;

/** Each language is named in itself, whatever the current language is. */
export const LOCALE_OPTIONS: ReadonlyArray<{ value: AppLocale; label: string }> = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];

const STORAGE_KEY = 'opsline.locale';

function isAppLocale(value: unknown): value is AppLocale {
  return value === 'zh-CN' || value === 'en';
}

/** The saved choice, else the browser's first language we speak, else English. */
export function detectLocale(): AppLocale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isAppLocale(saved)) return saved;
  for (const lang of navigator.languages.length ? navigator.languages : [navigator.language]) {
    const lower = lang.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: detectLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  // Every key must exist in both languages; say so loudly in every build, so the e2e can catch it.
  missing: (locale, key) => {
    console.error(`[i18n] missing message "${key}" for ${locale}`);
  },
  missingWarn: false,
  fallbackWarn: false,
});

export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

document.documentElement.lang = currentLocale();

/** `t` as passed to plain functions (table column builders); `plural` picks a form of `a | b | c`. */
export interface Translate {
  (key: string): string;
  (key: string, named: Record<string, unknown>): string;
  (key: string, named: Record<string, unknown>, plural: number): string;
}
