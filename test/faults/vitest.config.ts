import { defineConfig } from 'vitest/config';

/** The reliability suite (`npm run test:faults`; FAULTS_PROFILE=ci for the shortened CI form). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
