import vue from '@vitejs/plugin-vue';
import { defineConfig, loadEnv } from 'vite';

// Resolve paths from this file, so `vite build` works from the repo root or from packages/web.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // OPSLINE_API_URL lets `npm run dev` proxy to a server on another port.
  const env = loadEnv(mode, root, 'OPSLINE_');
  const apiTarget = env.OPSLINE_API_URL ?? 'http://127.0.0.1:8080';
  return {
    root,
    base: '/',
    plugins: [vue()],
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    server: {
      proxy: {
        // The SSE stream goes through the same proxy; http-proxy passes it through unbuffered.
        '/api': { target: apiTarget, changeOrigin: false },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
    },
  };
});
