import type { StreamParser } from '@codemirror/language';

/** Languages the editor highlights; each mode is its own small chunk, loaded when first shown. */
export type CodeLanguage = 'shell' | 'python' | 'yaml' | 'json';

const LOADERS: Record<CodeLanguage, () => Promise<StreamParser<unknown>>> = {
  shell: async () => (await import('@codemirror/legacy-modes/mode/shell')).shell,
  python: async () => (await import('@codemirror/legacy-modes/mode/python')).python,
  yaml: async () => (await import('@codemirror/legacy-modes/mode/yaml')).yaml,
  json: async () => (await import('@codemirror/legacy-modes/mode/javascript')).json,
};

export const loadMode = (language: CodeLanguage): Promise<StreamParser<unknown>> => LOADERS[language]();
