import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console is built into web/dist and served by the API at `/` (see src/bootstrap.ts). */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', sourcemap: false },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
