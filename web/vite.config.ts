// Builds the web UI into dist/web (scripts/build.mjs runs it as part of `npm run build`).
// React's JSX is compiled by Vite's own transformer (no plugin needed for a production build).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    // No inline scripts or module-preload polyfill: the Content-Security-Policy allows 'self' only.
    modulePreload: { polyfill: false },
    rollupOptions: {
      // Fluent's icons mark their modules "use client" (a server-components hint, moot in a browser bundle).
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite web` for development: the API of a running `gatelog serve` behind the dev server.
    proxy: Object.fromEntries(['/beta', '/v1.0', '/api', '/auth'].map((p) => [p, { target: process.env['GATELOG_URL'] ?? 'https://localhost:8443', secure: false }])),
  },
});
