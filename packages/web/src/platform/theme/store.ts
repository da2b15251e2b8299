import { darkTheme, type GlobalThemeOverrides } from 'naive-ui';
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';

export type ThemeMode = 'light' | 'dark';

const STORAGE_KEY = 'opsline.theme';

function initialMode(): ThemeMode {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const brand = {
  primaryColor: '#2f6bff',
  primaryColorHover: '#5284ff',
  primaryColorPressed: '#1f55d6',
  primaryColorSuppl: '#5284ff',
};

/** Light or dark, saved per browser; Naive UI and the page background follow it. */
export const useThemeStore = defineStore('theme', () => {
  const mode = ref<ThemeMode>(initialMode());
  const isDark = computed(() => mode.value === 'dark');
  const naiveTheme = computed(() => (isDark.value ? darkTheme : null));
  const overrides = computed<GlobalThemeOverrides>(() => ({
    common: { ...brand, borderRadius: '6px' },
    Layout: isDark.value ? {} : { siderColor: '#ffffff', headerColor: '#ffffff', color: '#f5f7fa' },
  }));

  function toggle(): void {
    mode.value = isDark.value ? 'light' : 'dark';
  }

  watchEffect(() => {
    localStorage.setItem(STORAGE_KEY, mode.value);
    document.documentElement.dataset.theme = mode.value;
    document.documentElement.style.colorScheme = mode.value;
  });

  return { mode, isDark, naiveTheme, overrides, toggle };
});
