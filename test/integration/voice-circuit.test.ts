// The circuit breaker on a stack of its own (the shared stack's breakers are set never to open): it opens after
// repeated failures, sends nothing while open, and lets a trial through after its cool-down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIssuer } from '../../local/issuer.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { startSimulators, type Simulators } from '../simulators/index.ts';
import { speechTestEnvironment } from './speech-environment.ts';

const COOLDOWN_MS = 1500;

let stack: LocalStack;
let simulators: Simulators;
let dataDirectory: string;
let token: string;

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'voice-circuit-'));
  simulators = await startSimulators();
  stack = await startLocalStack({
    port: 0,
    memory: true,
    dataDirectory,
    logLevel: 'SILENT',
    environment: speechTestEnvironment(simulators.environment, {
      TTS_CIRCUIT_THRESHOLD: '3',
      TTS_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
      TTS_RETRY_ATTEMPTS: '1',
    }),
  });
  token = await (
    await loadLocalIssuer(join(dataDirectory, 'local-issuer.json'))
  ).mint({ tenantId: 'circuit', role: 'admin' });
});

afterAll(async () => {
  await stack?.stop();
  await simulators?.stop();
  rmSync(dataDirectory, { recursive: true, force: true });
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('circuit breaker', () => {
  it('opens after three failures, skips the provider while open, and closes after the cool-down', async () => {
    const voiceId = 'circuitvoice00001';
    await simulators.elevenlabs.state.set('extraVoices', [
      { id: voiceId, name: 'Circuit', languages: ['en-US'] },
    ]);
    const personality = await post('/api/admin/ai-personalities', {
      name: 'Breaker',
      voice_config: {
        provider: 'elevenlabs',
        voice_id: voiceId,
        fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
      },
    });
    const generate = (text: string) =>
      post(`/api/admin/ai-personalities/${personality.body.id}/voice/generate`, { text });
    const elevenLabsCalls = () =>
      simulators.elevenlabs.requests.filter((request) => request.voice === voiceId).length;
    simulators.elevenlabs.addFault({ kind: 'server_error', voice: voiceId });

    for (const text of ['First try.', 'Second try.', 'Third try.']) {
      expect((await generate(text)).body.provider).toBe('google');
    }
    expect(elevenLabsCalls()).toBe(3);

    const whileOpen = await generate('Fourth try.');
    expect(whileOpen.body.provider).toBe('google');
    expect(whileOpen.body.fallback_reasons[0].message).toContain('paused');
    expect(elevenLabsCalls()).toBe(3);

    simulators.elevenlabs.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    const trial = await generate('Fifth try.');
    const closed = await generate('Sixth try.');

    expect(trial.body).toMatchObject({ provider: 'elevenlabs', fell_back: false });
    expect(closed.body.provider).toBe('elevenlabs');
    expect(elevenLabsCalls()).toBe(5);
  });
});
