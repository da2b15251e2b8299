import { defineAsyncComponent, h } from 'vue';

export type { CodeLanguage } from './languages';

/**
 * The code editor, loaded on first use: CodeMirror stays out of the pages'
 * chunks until an editor is shown. Takes CodeEditor's props and v-model:value.
 */
export const LazyCodeEditor = defineAsyncComponent({
  loader: () => import('./CodeEditor.vue'),
  loadingComponent: { render: () => h('div', { style: { minHeight: '240px' } }) },
  delay: 0,
});
