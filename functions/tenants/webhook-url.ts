// Which webhook URLs the platform will send to: https to a public host, so a tenant cannot aim it at the platform's
// own network (unless the deployment allows plain http and loopback, as the local stack does).
import { isIP } from 'node:net';
import { config } from '../config.ts';

const PRIVATE_V4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) return true;
  if (isIP(host) === 4) return PRIVATE_V4.some((range) => range.test(host));
  if (isIP(host) === 6)
    return host === '::1' || host === '::' || /^(fc|fd|fe80)/.test(host) || host.startsWith('::ffff:');
  return false;
}

/** Why the URL will not do, or undefined when it will. */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  const { allowInsecure } = config().webhooks;
  if (allowInsecure)
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be http(s)';
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (isPrivateHost(url.hostname)) return 'must point at a public host, not a private or loopback address';
  return undefined;
}
