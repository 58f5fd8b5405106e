// Vite build of the web console. The gateway serves dist/ at /console/ and answers every client
// route under it with index.html, so the app is built for that base path.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const domain = fileURLToPath(new URL('../../../libs/domain/src', import.meta.url));

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: {
    // The domain library is pure TypeScript (+ zod): bundle its sources, no build of it needed.
    alias: { '@shouwang/domain': `${domain}/index.ts` },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // antd is one large, cacheable chunk on its own; the app chunk changes with every release.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev -w services/gateway/console` against a running gateway (`npm start`).
    port: 5173,
    proxy: { '/api': process.env.SHOUWANG_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
  },
});
