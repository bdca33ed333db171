import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: { include: ['e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 600_000, pool: 'forks', maxWorkers: 1 },
});
