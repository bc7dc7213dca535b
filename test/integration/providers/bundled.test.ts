// The speech providers as Lambda runs them: each adapter bundled as `cdk synth` bundles a function (an ES module with
// its SDK in chunks), imported by a Node process of its own, speaking one sentence to its provider's simulator.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../../lib/voice-function.ts';
import { createElevenLabsSimulator } from '../../simulators/elevenlabs.ts';
import { createGoogleSimulator } from '../../simulators/google.ts';
import type { Simulator } from '../../simulators/harness.ts';
import { createOpenAiSimulator } from '../../simulators/openai.ts';
import { createPollySimulator } from '../../simulators/polly.ts';

const TIMEOUT_MS = 20_000;
// Not spawnSync: the simulators answer from this process, whose event loop must keep running meanwhile.
const run = promisify(execFile);

interface BundledProvider {
  name: string;
  entry: string;
  factory: string;
  simulator: Simulator;
  options(url: string): Record<string, unknown>;
  voiceId: string;
}

const PROVIDERS: BundledProvider[] = [
  {
    name: 'google',
    entry: 'functions/providers/tts/google.ts',
    factory: 'createGoogleTtsProvider',
    simulator: createGoogleSimulator(),
    options: (url) => ({ endpoint: url, accessToken: 'ya29.simulator-token', timeoutMs: TIMEOUT_MS }),
    voiceId: 'en-US-Neural2-D',
  },
  {
    name: 'elevenlabs',
    entry: 'functions/providers/tts/elevenlabs.ts',
    factory: 'createElevenLabsProvider',
    simulator: createElevenLabsSimulator(),
    options: (url) => ({ apiKey: 'xi-test-key', baseUrl: url, timeoutMs: TIMEOUT_MS }),
    voiceId: '21m00Tcm4TlvDq8ikWAM',
  },
  {
    name: 'openai',
    entry: 'functions/providers/tts/openai.ts',
    factory: 'createOpenAiTtsProvider',
    simulator: createOpenAiSimulator(),
    options: (url) => ({ apiKey: 'sk-test', baseUrl: `${url}/v1`, timeoutMs: TIMEOUT_MS }),
    voiceId: 'alloy',
  },
  {
    name: 'polly',
    entry: 'functions/providers/tts/polly.ts',
    factory: 'createPollyProvider',
    simulator: createPollySimulator(),
    options: (url) => ({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
      timeoutMs: TIMEOUT_MS,
    }),
    voiceId: 'Joanna',
  },
];

/** Imports the bundle, builds the adapter and says the text; prints what came back. */
const SPEAK = `
const [bundle, factory, options, voiceId, text] = process.argv.slice(1);
const provider = (await import(bundle))[factory](JSON.parse(options));
const result = await provider.synthesize({ text, voiceId, format: 'mp3' });
console.log(JSON.stringify({ bytes: result.audio.length, format: result.format, model: result.model }));
`;

const folders: string[] = [];
const urls = new Map<string, string>();

beforeAll(async () => {
  for (const provider of PROVIDERS) urls.set(provider.name, await provider.simulator.start());
});

afterAll(async () => {
  await Promise.all(PROVIDERS.map((provider) => provider.simulator.stop()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('speech providers bundled for Lambda', () => {
  it.each(PROVIDERS.map((provider) => [provider.name, provider] as const))(
    '%s speaks from its bundle, its SDK loaded from a chunk',
    async (_name, provider) => {
      // Prepare
      const folder = mkdtempSync(join(tmpdir(), `voice-bundled-${provider.name}-`));
      folders.push(folder);
      bundleHandler(provider.entry, folder);
      const text = `Bundled ${provider.name} says hello.`;

      // Act: no configuration in the environment, as the adapter gets all it needs from its options.
      const spoken = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          SPEAK,
          pathToFileURL(join(folder, 'index.mjs')).href,
          provider.factory,
          JSON.stringify(provider.options(urls.get(provider.name)!)),
          provider.voiceId,
          text,
        ],
        {
          encoding: 'utf8',
          // The AWS SDK warns on Node 20, the Node of this machine though not of Lambda.
          env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          timeout: 40_000,
        },
      );

      // Assess
      expect(spoken.stderr).toBe('');
      expect(JSON.parse(spoken.stdout)).toMatchObject({ format: 'mp3', bytes: expect.any(Number) });
      expect(JSON.parse(spoken.stdout).bytes).toBeGreaterThan(1000);
      expect(provider.simulator.requests.filter((request) => request.text === text)).toHaveLength(1);
    },
  );
});
