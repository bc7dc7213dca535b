// The local gateway streams a streaming handler's events as they are sent, and stops the handler when the client
// leaves. It runs its own gateway with a test-only route, leaving the shared stack's route table alone.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway } from '../../local/gateway.ts';
import { REPOSITORY_ROOT } from '../../local/stack.ts';
import { TICK_MS, tickerRoute, tickerRuns } from './fixtures/ticker.ts';

let gateway: Server;
let url: string;

beforeAll(async () => {
  gateway = createGateway({ routes: [{ ...tickerRoute, id: 'ticker' }], root: REPOSITORY_ROOT });
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise((done) => gateway.close(done));
});

interface Arrival {
  event: string;
  data: any;
  at: number;
}

function ticks(runId: string, count: number, signal?: AbortSignal) {
  return fetch(`${url}${tickerRoute.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ runId, count }),
    ...(signal ? { signal } : {}),
  });
}

/** Reads SSE events off the body as they arrive, noting when each came; stops early when `enough` says so. */
async function readEvents(body: ReadableStream<Uint8Array>, enough = (_: Arrival[]) => false) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const arrivals: Arrival[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return arrivals;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      arrivals.push({
        event: fields.event ?? 'message',
        data: JSON.parse(fields.data ?? 'null'),
        at: Date.now(),
      });
    }
    if (enough(arrivals)) {
      await reader.cancel().catch(() => undefined);
      return arrivals;
    }
  }
}

describe('local gateway, streaming routes', () => {
  it('sends each event when the handler writes it, not when the handler ends', async () => {
    const runId = randomUUID();

    const response = await ticks(runId, 5);
    const arrivals = await readEvents(response.body!);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(arrivals.map((arrival) => arrival.event)).toEqual([
      'tick',
      'tick',
      'tick',
      'tick',
      'tick',
      'done',
    ]);
    const [first] = arrivals;
    const last = arrivals.at(-1)!;
    // Buffered, all six would arrive together once the handler finished, ~400 ms after it started.
    expect(last.at - first!.at).toBeGreaterThanOrEqual(3 * TICK_MS);
    expect(tickerRuns.get(runId)!.finishedAt! - first!.at).toBeGreaterThanOrEqual(3 * TICK_MS);
    // Each tick arrives within moments of being sent.
    for (const arrival of arrivals.filter((a) => a.event === 'tick')) {
      expect(arrival.at - arrival.data.at).toBeLessThan(TICK_MS);
    }
  });

  it('stops the handler when the client goes away: it sees closed and sends no more', async () => {
    const runId = randomUUID();
    const client = new AbortController();

    const response = await ticks(runId, 100, client.signal);
    const arrivals = await readEvents(response.body!, (so) => so.length >= 2);
    const abortedAt = Date.now();
    client.abort();

    await vi.waitFor(() => expect(tickerRuns.get(runId)?.finishedAt).toBeDefined(), { timeout: 3_000 });
    const run = tickerRuns.get(runId)!;
    expect(arrivals).toHaveLength(2);
    expect(run.sawClosed).toBe(true);
    expect(run.sent).toBeLessThan(6);
    expect(run.finishedAt! - abortedAt).toBeLessThan(5 * TICK_MS);
  });

  it('refuses a bad body with the usual JSON error, streaming nothing', async () => {
    const response = await fetch(`${url}${tickerRoute.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ runId: '', count: 0 }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await response.json()) as any).error.code).toBe('invalid_request');
  });
});
