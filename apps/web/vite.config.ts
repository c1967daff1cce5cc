import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The UI is served by the Matchbox server at `/` from apps/web/dist. For development,
 * `npm run dev -w @matchbox/web` proxies the API and the WebSockets to MATCHBOX_URL.
 */
const target = process.env.MATCHBOX_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': target,
      '/ws-api': { target: target.replace(/^http/, 'ws'), ws: true },
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
      '/stream': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
