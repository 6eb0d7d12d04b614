import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // examples/typescript/main.ts imports the package by name (self-reference); tests use the
  // source, as tsconfig.json's `paths` and tsx do, not a possibly stale dist/.
  resolve: { alias: { 'cloudlink-tenancy/cdktf': fileURLToPath(new URL('../provider/cdktf/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/faults/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
