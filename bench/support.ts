// What every benchmark shares: percentiles, busy time of overlapping intervals, a seeded random source, the
// machine's description, and plain HTTP calls to the local stack with their wall time.
import { cpus, loadavg, totalmem } from 'node:os';
import type { WaitProfile } from './stack-process.ts';

export interface Interval {
  start: number;
  end: number;
}

/** The p-th percentile (0–100) by nearest rank, so every figure is a value that was actually measured. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: number[]) => percentile(values, 50);

/** Per request (medians over the profiles): calls to DynamoDB Local and s3rver, the time they were open, and CPU. */
export interface MedianProfile {
  dynamodbCalls: number;
  dynamodbMs: number;
  s3Calls: number;
  s3Ms: number;
  cpuMs: number;
}

export function medianProfile(profiles: WaitProfile[]): MedianProfile {
  const wait = (target: string, field: 'calls' | 'busyMs') =>
    median(profiles.map((profile) => profile.waits[target]?.[field] ?? 0));
  return {
    dynamodbCalls: wait('dynamodb', 'calls'),
    dynamodbMs: wait('dynamodb', 'busyMs'),
    s3Calls: wait('s3', 'calls'),
    s3Ms: wait('s3', 'busyMs'),
    cpuMs: median(profiles.map((profile) => profile.cpuMs)),
  };
}

/** Milliseconds during which at least one interval was open: two overlapping speech calls count once. */
export function busyTime(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let open: Interval | undefined;
  for (const interval of sorted) {
    if (open && interval.start <= open.end) {
      open.end = Math.max(open.end, interval.end);
      continue;
    }
    if (open) total += open.end - open.start;
    open = { ...interval };
  }
  if (open) total += open.end - open.start;
  return total;
}

/** Milliseconds since the epoch with sub-millisecond resolution, comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  /** The machine's load when the run started: figures from a shared machine are noisier. */
  loadAverage: string;
}

export function describeMachine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    loadAverage: loadavg()
      .map((value) => value.toFixed(1))
      .join(' / '),
  };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface Timed<T> {
  status: number;
  body: T;
  start: number;
  end: number;
  ms: number;
  /** The gateway's request id (`x-request-id`), which the usage records of the request carry. */
  requestId: string | undefined;
}

/** One JSON call to the stack, timed from before the request to the last byte of the answer. */
export async function callJson<T = unknown>(
  url: string,
  options: { token?: string; json?: unknown; method?: string } = {},
): Promise<Timed<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const start = now();
  const response = await fetch(url, {
    method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });
  const text = await response.text();
  const end = now();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a gateway failure page): the caller sees the text.
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return { status: response.status, body: body as T, start, end, ms: end - start, requestId };
}

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Reads a Server-Sent Events answer, noting when each event arrived, to its end or until `enough` says so. */
export async function callStream(
  url: string,
  token: string,
  json: unknown,
  enough: (event: StreamEvent) => boolean = () => false,
): Promise<{ status: number; start: number; events: StreamEvent[] }> {
  const start = now();
  const leave = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
    signal: leave.signal,
  });
  const events: StreamEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const at = now();
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event) continue;
      const arrived = { event, data: data ? JSON.parse(data) : undefined, at };
      events.push(arrived);
      if (enough(arrived)) {
        leave.abort();
        return { status: response.status, start, events };
      }
    }
  }
  return { status: response.status, start, events };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
