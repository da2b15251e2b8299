/** Replaced at bundle time (esbuild `define`); tests and tsx see the development marker. */
declare const __OPSLINE_VERSION__: string | undefined;
export const AGENT_VERSION: string = typeof __OPSLINE_VERSION__ === 'string' ? __OPSLINE_VERSION__ : '0.1.0-dev';
