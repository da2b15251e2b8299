/** Replaced at bundle time by scripts/build.mjs; tests and tsx see the development marker. */
declare const __OPSLINE_VERSION__: string | undefined;
export const VERSION: string = typeof __OPSLINE_VERSION__ === 'string' ? __OPSLINE_VERSION__ : '0.1.0-dev';
