// The web UI's own build: `npx vite build web` writes web/dist, which the server serves at /.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.DOWNBEAT_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets' },
  // `npx vite web` in development: the API and the server's login pages come from a running server.
  server: {
    proxy: {
      '/api': server,
      '/login': server,
      '/logout': server,
    },
  },
});
