import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    // Hashed file names under assets/ are served with a year-long immutable cache.
    assetsDir: 'assets',
    // The CSP forbids inline scripts and styles: never inline assets as data: URLs into JS/CSS
    // beyond what img-src allows, and keep the module-preload polyfill out (modern browsers only).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
