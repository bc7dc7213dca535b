// Webhook signatures in the Standard Webhooks scheme (standardwebhooks.com), for sending and for receivers to check.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** Five minutes either way, as the Standard Webhooks libraries default to. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A type, not an interface, so it passes where any record of headers is taken. */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Node's IncomingHttpHeaders, a plain object of lower-case names, or a fetch `Headers`. */
export type ReceivedHeaders = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** The HMAC key is the base64 after `whsec_`; a bare base64 secret is accepted as the reference libraries do. */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('The webhook secret holds no key');
  return key;
}

function digest(key: Buffer, id: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

/** The three headers that let a receiver check who sent `body` and when. */
export function signWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): WebhookSignatureHeaders {
  const timestamp = String(Math.floor(message.timestamp));
  const signature = digest(signingKey(secret), message.id, timestamp, message.body).toString('base64');
  return {
    'webhook-id': message.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when one of the `v1` signatures in the headers is the body's, made with this secret, at a time within the
 * tolerance of now (either way, so a replayed old message and a forged future one are both refused).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: ReceivedHeaders,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;

  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;

  const expected = digest(signingKey(secret), id, timestamp, body);
  // Several signatures may be sent while a secret is being rotated; any one that matches will do.
  return signatures.split(' ').some((entry) => {
    const [version, encoded] = entry.split(',', 2);
    if (version !== 'v1' || !encoded) return false;
    const given = Buffer.from(encoded, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
