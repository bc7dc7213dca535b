// The local stack in a process of its own, so its memory is its own and its time is not shared with the load client;
// it reports where its requests waited (DynamoDB Local, s3rver, providers) and its CPU, for the overhead profile.
import { subscribe } from 'node:diagnostics_channel';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Session, type Profiler } from 'node:inspector';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../local/stack.ts';
import { busyTime, now, type Interval } from './support.ts';

export type StackRequest =
  | { id: number; type: 'start'; environment: Record<string, string>; dataDirectory: string }
  | { id: number; type: 'profile'; window?: { from: number; to: number } }
  | { id: number; type: 'stats' }
  | { id: number; type: 'cpu-profile'; action: 'start' | 'stop' }
  | { id: number; type: 'stop' };

export interface WaitProfile {
  /** Per kind of call the stack made: how many, and the time at least one was open. */
  waits: Record<string, { calls: number; busyMs: number }>;
  /** CPU the stack's process used (user + system) since the last profile without a window. */
  cpuMs: number;
}

let stack: LocalStack | undefined;
const targets = new Map<string, string>();
const calls: Array<Interval & { target: string }> = [];
let lastCpu = process.cpuUsage();

// Every outbound call of the AWS SDK and the provider SDKs that use node:http; fetch-based ones are not seen here.
const opened = new WeakMap<ClientRequest, number>();
subscribe('http.client.request.start', (message) => {
  opened.set((message as { request: ClientRequest }).request, now());
});
subscribe('http.client.response.finish', (message) => {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const start = opened.get(request);
  if (start === undefined) return;
  const port = request.getHeader('host')?.toString().split(':')[1] ?? '';
  const record = () => {
    calls.push({ start, end: now(), target: targets.get(port) ?? 'providers and others' });
    // Bounded, as a forgotten period must not grow the very memory the load run measures.
    if (calls.length > 100_000) calls.splice(0, 10_000);
  };
  response.once('end', record);
  response.once('error', record);
});

/**
 * The calls since the last profile, which then starts a new period; or, with a window, the calls that began in it
 * (clocks of this and the bench process agree: both count from the epoch), leaving the period open.
 */
function profile(window?: { from: number; to: number }): WaitProfile {
  const chosen = window ? calls.filter((call) => call.start >= window.from && call.start < window.to) : calls;
  const waits: WaitProfile['waits'] = {};
  for (const target of new Set(chosen.map((call) => call.target))) {
    const mine = chosen.filter((call) => call.target === target);
    waits[target] = { calls: mine.length, busyMs: busyTime(mine) };
  }
  const cpu = process.cpuUsage(lastCpu);
  if (!window) {
    calls.length = 0;
    lastCpu = process.cpuUsage();
  }
  return { waits, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** What the CPU was doing, by where the code lives: a package, a folder of the product, or the runtime itself. */
export type CpuShares = Array<{ where: string; ms: number; share: number }>;

function placeOf(url: string): string {
  if (url.startsWith('node:')) return 'node: built-ins';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (inPackage) return inPackage;
  const inProduct = /\/(functions\/[^/]+|local|test\/simulators)\//.exec(url)?.[1];
  return inProduct ?? url.replace(/^file:\/\//, '');
}

function cpuShares(profile: Profiler.Profile): CpuShares {
  // Native code (hashing, JSON, buffers) and Node's own modules (http, streams) count for the code that called them;
  // only what no package or product code started (socket reads, timers) stays with the runtime.
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const places = new Map<number, string>();
  const placeOfNode = (id: number): string => {
    const known = places.get(id);
    if (known) return known;
    const frame = byId.get(id)?.callFrame;
    const parent = parents.get(id);
    const own = frame?.url ? placeOf(frame.url) : undefined;
    const caller = parent === undefined ? undefined : placeOfNode(parent);
    const place =
      own && own !== 'node: built-ins'
        ? own
        : frame?.functionName.startsWith('(')
          ? frame.functionName
          : caller && !caller.startsWith('(')
            ? caller
            : (own ?? '(runtime)');
    places.set(id, place);
    return place;
  };
  for (const node of profile.nodes) placeOfNode(node.id);
  const totals = new Map<string, number>();
  profile.samples?.forEach((id, index) => {
    const place = places.get(id) ?? '?';
    totals.set(place, (totals.get(place) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  totals.delete('(idle)');
  // The benchmark's own instrumentation (call timing, and the profiler's stop, which it samples) is not the stack's.
  for (const place of totals.keys()) if (place.includes('/bench/')) totals.delete(place);
  const busy = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([where, ms]) => ({ where, ms, share: ms / busy }));
}

const inspector = new Session();
const post = <T>(method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    inspector.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );

async function handle(request: StackRequest): Promise<unknown> {
  switch (request.type) {
    case 'start': {
      stack = await startLocalStack({
        port: 0,
        memory: true,
        dataDirectory: request.dataDirectory,
        logLevel: 'SILENT',
        environment: request.environment,
      });
      targets.set(new URL(stack.endpoints.dynamodb).port, 'dynamodb');
      targets.set(new URL(stack.endpoints.s3).port, 's3');
      return { url: stack.url, endpoints: stack.endpoints, pid: process.pid };
    }
    case 'profile':
      return profile(request.window);
    case 'cpu-profile':
      if (request.action === 'start') {
        inspector.connect();
        await post('Profiler.enable');
        await post('Profiler.start');
        return { started: true };
      } else {
        const { profile: taken } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
        inspector.disconnect();
        // For a closer look (Chrome DevTools, or any .cpuprofile reader) than the shares by package below.
        const keep = process.env.BENCH_CPU_PROFILE_DIR;
        if (keep) {
          mkdirSync(keep, { recursive: true });
          writeFileSync(join(keep, `stack-${Date.now()}.cpuprofile`), JSON.stringify(taken));
        }
        return cpuShares(taken);
      }
    case 'stats': {
      const usage = process.memoryUsage();
      return { maxRssMb: process.resourceUsage().maxRSS / 1024, rssMb: usage.rss / 1024 ** 2 };
    }
    case 'stop':
      await stack?.stop();
      setImmediate(() => process.exit(0));
      return { stopped: true };
  }
}

process.on('message', (message: StackRequest) => {
  handle(message).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
// The bench may die without saying goodbye; the stack (and its DynamoDB Local) must not outlive it.
process.on('disconnect', () => {
  void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
