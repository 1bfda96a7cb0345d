import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const appRoot = fileURLToPath(new URL('.', import.meta.url));

// Built to static files that the server serves under /admin; the API is same-origin.
export default defineConfig({
  root: appRoot,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks the first page loads, for the size budget (scripts/bundleBudget.ts).
    // The server does not serve dot-folders.
    manifest: true,
  },
  // `npm run dev -w apps/admin` talks to a server started with `npm start` on :3000.
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
