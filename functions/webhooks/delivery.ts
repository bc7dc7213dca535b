// One attempt at a webhook delivery: signed POST of the stored event, its outcome recorded, the next try queued.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { config } from '../config.ts';
import { logger } from '../powertools.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { table } from '../store/table.ts';
import { webhookUrlProblem } from '../tenants/webhook-url.ts';
import { webhookQueue, type DeliveryMessage } from './queue.ts';
import { signWebhook } from './signing.ts';

const USER_AGENT = 'voice-personalities-webhooks/1';
const MAX_ERROR_LENGTH = 200;

/** What one attempt came to: `final` failures (a refused URL, no secret) are not worth another try. */
export type AttemptOutcome =
  | { delivered: true; statusCode: number }
  | { delivered: false; final: boolean; statusCode?: number; error: string };

/** The wait before the attempt after `attempt`: the base doubled each time, give or take 20% so retries spread. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const jitter = 1 + (random() * 2 - 1) * 0.2;
  return Math.round(baseMs * 2 ** (attempt - 1) * jitter);
}

const refused = (error: string): AttemptOutcome => ({ delivered: false, final: true, error });
const failedWith = (error: string, statusCode?: number): AttemptOutcome => ({
  delivered: false,
  final: false,
  error: error.slice(0, MAX_ERROR_LENGTH),
  ...(statusCode === undefined ? {} : { statusCode }),
});

/**
 * A public name could still resolve to a private address; the addresses are checked as the URL was. The request
 * resolves the name again, so a host that answers differently the second time is not caught here.
 */
async function privateAddressProblem(hostname: string): Promise<string | undefined> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (config().webhooks.allowInsecure || isIP(host)) return undefined;
  const addresses = await lookup(host, { all: true });
  const blocked = addresses.find(({ address, family }) =>
    webhookUrlProblem(`https://${family === 6 ? `[${address}]` : address}/`),
  );
  return blocked ? `the host resolves to a private address (${blocked.address})` : undefined;
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return `could not reach the receiver: ${cause.code}`;
  return `could not reach the receiver: ${error instanceof Error ? error.message : String(error)}`;
}

/** Sends the payload once. Redirects are not followed: the URL the tenant gave is the only one written to. */
async function postWebhook(
  url: string,
  payload: string,
  secret: string,
  deliveryId: string,
): Promise<AttemptOutcome> {
  const problem = webhookUrlProblem(url);
  if (problem) return refused(`webhook URL refused: ${problem}`);
  const { timeoutMs } = config().webhooks;
  try {
    const addressProblem = await privateAddressProblem(new URL(url).hostname);
    if (addressProblem) return refused(`webhook URL refused: ${addressProblem}`);
    const response = await fetch(url, {
      method: 'POST',
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...signWebhook(secret, { id: deliveryId, timestamp: Date.now() / 1000, body: payload }),
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
      },
    });
    // The receiver's body is neither read nor kept: it is theirs, and may be large or sensitive.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300)
      return { delivered: true, statusCode: response.status };
    if (response.status >= 300 && response.status < 400)
      return failedWith(`answered ${response.status}; redirects are not followed`, response.status);
    return failedWith(`answered ${response.status}`, response.status);
  } catch (error) {
    return failedWith(networkError(error, timeoutMs), undefined);
  }
}

/**
 * Makes the attempt a queued message asks for. Primary course:
 * 1. skip a delivery already delivered or failed, or an attempt already made (a duplicate message);
 * 2. put back an attempt that is not due yet (SQS holds a message 15 minutes at most);
 * 3. POST the stored payload to the tenant's URL, signed with the tenant's secret as they are now;
 * 4. record the outcome, only if no other attempt recorded one meanwhile;
 * 5. after a failure, queue the next attempt with backoff, or mark the delivery failed at the last attempt.
 * Throws only for the store or the queue failing, so the message is tried again.
 */
export async function attemptDelivery(message: DeliveryMessage): Promise<void> {
  const key = { tenant_id: message.tenant_id, id: message.delivery_id };
  const log = { tenantId: message.tenant_id, deliveryId: message.delivery_id, attempt: message.attempt };
  const { data: delivery } = await table().webhookDeliveries.get(key).go({ consistent: true });
  if (!delivery || delivery.status !== 'pending' || delivery.attempts >= message.attempt) {
    logger.info('webhook attempt skipped: already made or finished', { ...log, status: delivery?.status });
    return;
  }
  const wait = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) - Date.now() : 0;
  if (wait > 1000) {
    await webhookQueue().enqueue(message, wait);
    return;
  }

  const attempt = delivery.attempts + 1;
  const { data: profile } = await table()
    .tenantProfiles.get({ tenant_id: message.tenant_id })
    .go({ consistent: true });
  const url = profile?.webhook_url;
  let outcome: AttemptOutcome;
  if (!url) outcome = refused('the webhook URL was removed');
  else if (!profile.webhook_secret) outcome = refused('no signing secret is set; rotate the secret');
  else outcome = await postWebhook(url, delivery.payload, profile.webhook_secret, delivery.id);

  const { maxAttempts, retryBaseMs } = config().webhooks;
  const retry = !outcome.delivered && !outcome.final && attempt < maxAttempts;
  const delayMs = retry ? retryDelayMs(attempt, retryBaseMs) : 0;
  const now = new Date();
  const removals: Array<'last_status_code' | 'last_error' | 'next_attempt_at'> = [];
  if (outcome.statusCode === undefined) removals.push('last_status_code');
  if (outcome.delivered) removals.push('last_error');
  if (!retry) removals.push('next_attempt_at');
  try {
    let update = table()
      .webhookDeliveries.patch(key)
      .set({
        attempts: attempt,
        updated_at: now.toISOString(),
        ...(url ? { url } : {}),
        ...(outcome.statusCode === undefined ? {} : { last_status_code: outcome.statusCode }),
        ...(outcome.delivered
          ? { status: 'delivered' as const, delivered_at: now.toISOString() }
          : { last_error: outcome.error }),
        ...(!outcome.delivered && !retry ? { status: 'failed' as const } : {}),
        ...(retry ? { next_attempt_at: new Date(now.getTime() + delayMs).toISOString() } : {}),
      });
    if (removals.length) update = update.remove(removals);
    await update
      .where(
        ({ status, attempts }, { eq }) => `${eq(status, 'pending')} AND ${eq(attempts, delivery.attempts)}`,
      )
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    logger.info('webhook attempt raced another; its outcome stands', log);
    return;
  }
  logger.info('webhook attempt made', {
    ...log,
    attempt,
    delivered: outcome.delivered,
    statusCode: outcome.statusCode,
    ...(outcome.delivered ? {} : { error: outcome.error, retryInMs: retry ? delayMs : undefined }),
  });
  if (retry) await queueNextAttempt(message, attempt, delayMs);
}

/** A retry that cannot be queued would leave the delivery pending forever; it is marked failed instead. */
async function queueNextAttempt(message: DeliveryMessage, attempt: number, delayMs: number): Promise<void> {
  try {
    await webhookQueue().enqueue({ ...message, attempt: attempt + 1 }, delayMs);
  } catch (error) {
    logger.error('the next webhook attempt could not be queued', {
      deliveryId: message.delivery_id,
      error: error as Error,
    });
    await table()
      .webhookDeliveries.patch({ tenant_id: message.tenant_id, id: message.delivery_id })
      .set({
        status: 'failed',
        last_error: 'the next attempt could not be queued',
        updated_at: new Date().toISOString(),
      })
      .remove(['next_attempt_at'])
      .go();
  }
}
