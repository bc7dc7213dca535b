// Starts one local stack (in memory, free port) for the integration suite; each test works in its own tenant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stackUrl: string;
    issuerKeyFile: string;
    dynamodbEndpoint: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The SDK's notice that Node 20 support ends in 2027 is for operators, not test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDirectory = mkdtempSync(join(tmpdir(), 'voice-it-'));
  const stack = await startLocalStack({ port: 0, memory: true, dataDirectory, logLevel: 'SILENT' });
  project.provide('stackUrl', stack.url);
  project.provide('issuerKeyFile', join(dataDirectory, 'local-issuer.json'));
  project.provide('dynamodbEndpoint', stack.endpoints.dynamodb);
  project.provide('s3Endpoint', stack.endpoints.s3);
  return async () => {
    await stack.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
}
