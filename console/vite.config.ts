// Builds the console into console/dist; `npm run dev -w console` proxies the API to a running `npm start`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.CONSOLE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  // amazon-cognito-identity-js (and the buffer shim it bundles) expects Node's `global`.
  define: { global: 'globalThis' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Cloudscape alone is a few hundred kB; the warning would fire on every build.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': api,
      '/config.json': api,
      '/local-auth': api,
    },
  },
});
