// What the platform logs during a full chat, with every provider keyed and debug logging on, holds no key material:
// no provider key, no API key secret, no token, no webhook secret, even when a provider refuses the key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalIssuer } from '../../local/issuer.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { startSimulators, type Simulators } from '../simulators/index.ts';
import { speechTestEnvironment } from './speech-environment.ts';

const captured: string[] = [];
const originalWrites = { stdout: process.stdout.write, stderr: process.stderr.write };

/** Keeps what is written instead of printing it: debug logs of a whole chat would drown the test report. */
function capture(stream: NodeJS.WriteStream) {
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
}

let simulators: Simulators;
let stack: LocalStack;
let dataDirectory: string;
let adminToken: string;

async function request(
  path: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown },
) {
  const response = await fetch(`${stack.url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'voice-logs-'));
  simulators = await startSimulators();
  capture(process.stdout);
  capture(process.stderr);
  stack = await startLocalStack({
    port: 0,
    memory: true,
    dataDirectory,
    logLevel: 'DEBUG',
    environment: speechTestEnvironment(simulators.environment, { TTS_CIRCUIT_THRESHOLD: '1000000' }),
    training: { waitMs: 20, retryMs: 20 },
  });
  const issuer = await loadLocalIssuer(join(dataDirectory, 'local-issuer.json'));
  adminToken = await issuer.mint({ tenantId: 'logs-tenant', role: 'admin' });
}, 120_000);

afterAll(async () => {
  process.stdout.write = originalWrites.stdout;
  process.stderr.write = originalWrites.stderr;
  await stack?.stop();
  await simulators?.stop();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('logs of a full chat', () => {
  it('carry the requests but no key, secret or token', async () => {
    const admin = { authorization: `Bearer ${adminToken}` };
    const key = await request('/api/admin/api-keys', { headers: admin, json: { name: 'shop' } });
    expect(key.status).toBe(201);
    const settings = await request('/api/admin/tenant/settings', {
      method: 'PUT',
      headers: admin,
      json: { webhook_url: 'http://127.0.0.1:9/hooks' },
    });
    expect(settings.status).toBe(200);
    const webhookSecret = settings.body.webhook_secret as string;
    expect(webhookSecret).toMatch(/^whsec_/);

    const personality = await request('/api/admin/ai-personalities', {
      headers: admin,
      json: {
        name: 'Logged',
        voice_config: {
          provider: 'elevenlabs',
          voice_id: '21m00Tcm4TlvDq8ikWAM',
          fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
        },
      },
    });
    expect(personality.status).toBe(201);
    const app = { 'x-api-key': key.body.api_key as string };
    const first = await request('/api/chat', {
      headers: app,
      json: { message: 'What helps with sleep?', personality_id: personality.body.id },
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.model).not.toBe('offline');

    // ElevenLabs refuses the key: the refusal, and the fallback to Google, are logged.
    simulators.elevenlabs.addFault({ kind: 'auth' });
    const second = await request('/api/chat/stream', {
      headers: app,
      json: { message: 'And something for the evening?', conversation_id: first.body.conversation_id },
    });
    expect(second.status).toBe(200);
    expect(second.text).toContain('event: done');
    simulators.elevenlabs.clearFaults();
    const conversation = await request(`/api/conversations/${first.body.conversation_id}`, {
      headers: admin,
    });
    expect(conversation.status).toBe(200);

    const logs = captured.join('');
    // The capture works: requests were logged at debug level.
    expect(logs).toContain('voice-personalities');
    expect(logs).toMatch(/falling back|retrying/);
    const secrets = {
      ...simulators.environment,
      apiKey: key.body.api_key as string,
      adminToken,
      webhookSecret,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      if (!/KEY|TOKEN|apiKey|adminToken|Secret/i.test(name)) continue;
      expect(logs, `${name} appears in the logs`).not.toContain(secret);
    }
    // Nor any part long enough to matter: a token's signature, or the key without its prefix.
    expect(logs).not.toContain(adminToken.split('.')[2]!);
    expect(logs).not.toContain((key.body.api_key as string).slice(4));
  });
});
