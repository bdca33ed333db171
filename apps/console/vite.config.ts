import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two entry points: the staff console (/) and the customer H5 pages (/h5/).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), h5: resolve(import.meta.dirname, 'h5/index.html') },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
