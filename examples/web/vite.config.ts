import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The page is built into `dist/public/`, which the page's server (`server/`, compiled to
 * `dist/index.js`) serves. Source maps go with it: the page is an example to read.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/public', emptyOutDir: true, sourcemap: true },
});
