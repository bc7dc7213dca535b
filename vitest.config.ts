// Four suites: unit (pure modules), integration (the local stack over HTTP), reliability (faults and bad input
// against the local stack), infra (CDK assertions and cdk-nag);
// and the console's browser tests (e2e), which run only when named: `npm run test:e2e`.
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Browser tests need Chromium and start a whole stack per file, so plain `vitest run` (npm test) leaves them out.
const e2eNamed = process.argv.some(
  (argument, index, all) =>
    /^--project=e2e$/.test(argument) || (argument === '--project' && all[index + 1] === 'e2e'),
);

const e2e: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One stack and one browser at a time: each file starts its own, and the machine is small.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 200_000,
  },
};

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // Tests that speak render real audio; on a busy two-core machine that takes a while.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          // The fault suite starts its own stack in its file (DynamoDB Local on disk, restarted mid-run) and runs
          // its faulty minute inside beforeAll.
          testTimeout: 60_000,
          hookTimeout: 200_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      ...(e2eNamed ? [e2e] : []),
    ],
  },
});
