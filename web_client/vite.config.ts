import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Built into static files (dist/) that cylch-server serves; index.html answers every route.
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    manifest: true, // scripts/bundle-size.mjs reads it to measure the participant bundle
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a local cylch-server: CYLCH_SERVER=http://127.0.0.1:8080 npm run dev
    proxy: process.env.CYLCH_SERVER
      ? {
          '/ws': { target: process.env.CYLCH_SERVER.replace(/^http/, 'ws'), ws: true },
          '/api': process.env.CYLCH_SERVER,
          '/qr.svg': process.env.CYLCH_SERVER,
        }
      : undefined,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
