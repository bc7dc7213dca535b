// Which webhook URLs a deployment that does not allow insecure ones accepts: https to a public host only.
import { beforeAll, describe, expect, it } from 'vitest';

let webhookUrlProblem: typeof import('../../functions/tenants/webhook-url.ts').webhookUrlProblem;

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'voice-test',
    SAMPLES_BUCKET: 'samples-test',
    AUDIO_BUCKET: 'audio-test',
    AUTH_ISSUER: 'urn:test',
    WEBHOOK_ALLOW_INSECURE: 'false',
  });
  ({ webhookUrlProblem } = await import('../../functions/tenants/webhook-url.ts'));
});

describe('webhookUrlProblem with insecure URLs not allowed', () => {
  it('accepts https to a public host, by name or address', () => {
    expect(webhookUrlProblem('https://hooks.example.com/voice')).toBeUndefined();
    expect(webhookUrlProblem('https://203.0.113.10:8443/voice?tenant=1')).toBeUndefined();
  });

  it('refuses plain http, even to a public host', () => {
    expect(webhookUrlProblem('http://hooks.example.com/voice')).toBe('must be an https URL');
  });

  it('refuses other schemes and things that are not URLs', () => {
    expect(webhookUrlProblem('ftp://hooks.example.com/voice')).toBe('must be an https URL');
    expect(webhookUrlProblem('hooks.example.com/voice')).toBe('not a URL');
  });

  it.each([
    'https://localhost/hook',
    'https://api.localhost/hook',
    'https://metadata.internal/hook',
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.20/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
  ])('refuses %s, a private or loopback host', (url) => {
    expect(webhookUrlProblem(url)).toMatch(/private or loopback/);
  });

  it('refuses credentials in the URL', () => {
    expect(webhookUrlProblem('https://user:secret@hooks.example.com/voice')).toBe(
      'must not carry a user name or password',
    );
  });
});
