// Starts the provider simulators and one local stack (in memory, free port) pointed at them for the integration
// suite; each test works in its own tenant, and faults are injected per voice so tests do not meet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';
import { startSimulators } from '../simulators/index.ts';
import { speechTestEnvironment } from './speech-environment.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stackUrl: string;
    issuerKeyFile: string;
    dynamodbEndpoint: string;
    s3Endpoint: string;
    simulatorUrls: Record<'elevenlabs' | 'google' | 'openai' | 'polly', string>;
    deadLetterDirectory: string;
    stepFunctionsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The SDK's notice that Node 20 support ends in 2027 is for operators, not test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDirectory = mkdtempSync(join(tmpdir(), 'voice-it-'));
  const simulators = await startSimulators();
  const stack = await startLocalStack({
    port: 0,
    memory: true,
    dataDirectory,
    logLevel: 'SILENT',
    environment: speechTestEnvironment(simulators.environment, {
      // Shared by every test file at once: a breaker opened by one fault test would reroute the others.
      TTS_CIRCUIT_THRESHOLD: '1000000',
      // A provider that never finishes a voice is given up on after three looks, 20 ms apart.
      TRAINING_MAX_STATUS_CHECKS: '3',
      // Small enough that a test can fill it with a few long messages.
      CHAT_HISTORY_TOKENS: '600',
      // Tests that are not about plans should not meet a plan's limits; plan tests set each tenant's plan.
      DEFAULT_PLAN: 'enterprise',
      // Webhook retries in tens of milliseconds, not minutes.
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '4',
    }),
    training: { waitMs: 20, retryMs: 20 },
  });
  project.provide('stackUrl', stack.url);
  project.provide('issuerKeyFile', join(dataDirectory, 'local-issuer.json'));
  project.provide('dynamodbEndpoint', stack.endpoints.dynamodb);
  project.provide('s3Endpoint', stack.endpoints.s3);
  project.provide('simulatorUrls', simulators.urls);
  project.provide('stepFunctionsEndpoint', stack.endpoints.stepFunctions);
  project.provide('deadLetterDirectory', join(dataDirectory, 'usage-dead-letters'));
  return async () => {
    await stack.stop();
    await simulators.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
}
