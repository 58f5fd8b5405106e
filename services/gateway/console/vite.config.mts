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
    // antd (with its rc-* components: picker, table, cascader, tree, upload …) is one ~1.1 MB chunk
    // (~350 kB gzip) on its own; that is expected.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The domain modules only declare things, so the ones the console does not use (the household
      // schemas, and zod with them) are left out of the bundle.
      treeshake: { moduleSideEffects: [{ test: /[\\/]libs[\\/]domain[\\/]src[\\/]/, sideEffects: false }] },
      output: {
        // Libraries change rarely: separate chunks stay cached in browsers across console releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|cookie)[\\/]/ },
            {
              name: 'antd',
              test: /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel|dayjs)[\\/]/,
            },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev -w services/gateway/console` against a running gateway (`npm start`).
    port: 5173,
    proxy: { '/api': process.env.SHOUWANG_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
  },
});
