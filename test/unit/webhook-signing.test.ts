// Webhook signatures: the Standard Webhooks test vector, and what a receiver must refuse.
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../functions/webhooks/signing.ts';

// Published with the Standard Webhooks reference libraries (libraries/javascript/src/webhook.test.ts).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR_TIME = { now: new Date(VECTOR.timestamp * 1000) };

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 8).toString('base64')}`;
const BODY = JSON.stringify({ id: 'evt_1', type: 'webhook.test', data: { message: 'hello' } });

function signedNow(secret = SECRET, body = BODY) {
  return signWebhook(secret, { id: 'evt_1', timestamp: Date.now() / 1000, body });
}

describe('signWebhook', () => {
  it('produces the Standard Webhooks test vector', () => {
    const headers = signWebhook(VECTOR.secret, {
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
      body: VECTOR.body,
    });

    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  it('sends whole seconds as the timestamp', () => {
    const headers = signWebhook(SECRET, { id: 'evt_1', timestamp: 1_700_000_000.987, body: BODY });

    expect(headers['webhook-timestamp']).toBe('1700000000');
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the test vector at its time', () => {
    const headers = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };

    expect(verifyWebhookSignature(VECTOR.secret, headers, VECTOR.body, AT_VECTOR_TIME)).toBe(true);
  });

  it('round-trips what signWebhook made, from a plain object or fetch Headers', () => {
    const headers = signedNow();

    expect(verifyWebhookSignature(SECRET, headers, BODY)).toBe(true);
    expect(verifyWebhookSignature(SECRET, new Headers({ ...headers }), BODY)).toBe(true);
  });

  it('refuses a tampered body', () => {
    const headers = signedNow();
    const tampered = BODY.replace('hello', 'hullo');

    expect(verifyWebhookSignature(SECRET, headers, tampered)).toBe(false);
  });

  it('refuses a changed id or timestamp, which are signed too', () => {
    const headers = signedNow();

    expect(verifyWebhookSignature(SECRET, { ...headers, 'webhook-id': 'evt_2' }, BODY)).toBe(false);
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(verifyWebhookSignature(SECRET, { ...headers, 'webhook-timestamp': later }, BODY)).toBe(false);
  });

  it('refuses a stale or future timestamp outside the tolerance', () => {
    const sentAt = 1_700_000_000;
    const headers = signWebhook(SECRET, { id: 'evt_1', timestamp: sentAt, body: BODY });
    const at = (seconds: number) => ({ now: new Date(seconds * 1000), toleranceSeconds: 300 });

    expect(verifyWebhookSignature(SECRET, headers, BODY, at(sentAt + 300))).toBe(true);
    expect(verifyWebhookSignature(SECRET, headers, BODY, at(sentAt + 301))).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, BODY, at(sentAt - 301))).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, BODY, { now: at(sentAt + 301).now })).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    const headers = signedNow(OTHER_SECRET);

    expect(verifyWebhookSignature(SECRET, headers, BODY)).toBe(false);
  });

  it('accepts any matching v1 signature among several, and ignores other versions', () => {
    const headers = signedNow();
    const valid = headers['webhook-signature'];
    const stale = signedNow(OTHER_SECRET)['webhook-signature'];
    const several = `${stale} v2,${valid.slice(3)} ${valid}`;

    expect(verifyWebhookSignature(SECRET, { ...headers, 'webhook-signature': several }, BODY)).toBe(true);
    expect(
      verifyWebhookSignature(SECRET, { ...headers, 'webhook-signature': `v2,${valid.slice(3)}` }, BODY),
    ).toBe(false);
  });

  it('refuses missing headers, a truncated signature and a non-numeric timestamp', () => {
    const headers = signedNow();
    const { 'webhook-signature': _signature, ...unsigned } = headers;

    expect(verifyWebhookSignature(SECRET, unsigned, BODY)).toBe(false);
    expect(
      verifyWebhookSignature(
        SECRET,
        { ...headers, 'webhook-signature': headers['webhook-signature'].slice(0, 12) },
        BODY,
      ),
    ).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...headers, 'webhook-signature': 'v1,' }, BODY)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...headers, 'webhook-timestamp': 'soon' }, BODY)).toBe(false);
  });
});
