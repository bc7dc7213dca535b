// The seeded plan of the fault run: a PRNG, the faults the simulators answer with and when, and when DynamoDB
// Local goes down. The same seed gives the same plan, so a failing run can be replayed with FAULT_SEED=<n>.
import type { Fault, FaultKind } from '../simulators/harness.ts';

/** The seed a run uses when FAULT_SEED is not set. */
export const DEFAULT_FAULT_SEED = 20_260_806;

export function faultSeed(environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment.FAULT_SEED;
  if (raw === undefined || raw === '') return DEFAULT_FAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`FAULT_SEED must be a whole number, not "${raw}"`);
  return seed;
}

/** mulberry32: small, fast, and the same sequence on every machine for one seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.next() * total;
    for (const [value, weight] of choices) {
      left -= weight;
      if (left < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** An independent stream for one driver, so drivers do not shift each other's choices. */
  fork(label: string): Random {
    let hash = this.state ^ 0x9e3779b9;
    for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
    return new Random(hash >>> 0);
  }
}

export type SimulatorName = 'elevenlabs' | 'google' | 'openai' | 'polly';

/** Where a fault lands: one simulator, and the part of its API (the chat model and speech share OpenAI's server). */
export interface FaultTarget {
  name: string;
  simulator: SimulatorName;
  path: string;
}

export const FAULT_TARGETS: readonly FaultTarget[] = [
  { name: 'chat model', simulator: 'openai', path: '/v1/chat/completions' },
  { name: 'OpenAI speech', simulator: 'openai', path: '/v1/audio/speech' },
  { name: 'Google speech', simulator: 'google', path: '/v1/text:synthesize' },
  { name: 'Polly speech', simulator: 'polly', path: '/v1/speech' },
  { name: 'ElevenLabs speech', simulator: 'elevenlabs', path: '/v1/text-to-speech' },
  // Cloning, status checks and deletions of cloned voices.
  { name: 'ElevenLabs voices', simulator: 'elevenlabs', path: '/v1/voices' },
];

const KIND_WEIGHTS: ReadonlyArray<readonly [FaultKind, number]> = [
  ['server_error', 3],
  ['rate_limited', 2],
  ['quota_exceeded', 1],
  ['timeout', 1],
  ['slow_first_byte', 2],
  ['broken_stream', 2],
];

/** A training's own fault: most often a create that works but whose answer is lost (broken_stream). */
const CLONING_FAULTS: readonly FaultKind[] = ['broken_stream', 'broken_stream', 'server_error', 'timeout'];

export interface Timeouts {
  /** The platform's speech and chat-model timeouts: a `timeout` fault holds its answer longer than these. */
  speechMs: number;
  chatMs: number;
}

export interface PlannedFault {
  atMs: number;
  /** Removed after this long if its requests have not used it up: an outage of a few seconds, not a trap. */
  forMs: number;
  target: FaultTarget;
  fault: Fault;
}

export interface FaultPlan {
  seed: number;
  durationMs: number;
  faults: PlannedFault[];
  /** DynamoDB Local is stopped at `atMs` and started again after `downtimeMs`. */
  restart: { atMs: number; downtimeMs: number };
  /** When each voice training is asked for: one early, among the provider faults; one as the table goes down. */
  trainingStartsMs: [number, number];
}

/**
 * About one fault every 0.4–1.2 s over the run, each clearing itself after a few requests or seconds; the restart
 * falls between a third and half of the run, so traffic meets the table before, during and after it.
 */
export function faultPlan(seed: number, durationMs: number, timeouts: Timeouts): FaultPlan {
  const random = new Random(seed).fork('faults');
  const faults: PlannedFault[] = [];
  for (let atMs = random.int(200, 800); atMs < durationMs - 3000; atMs += random.int(400, 1200)) {
    const target = random.pick(FAULT_TARGETS);
    const kind = random.weighted(KIND_WEIGHTS);
    const holdMs = target.path === '/v1/chat/completions' ? timeouts.chatMs : timeouts.speechMs;
    const fault: Fault = { kind, path: target.path, times: random.int(1, 4) };
    if (kind === 'timeout') fault.delayMs = holdMs + 1000;
    if (kind === 'slow_first_byte') fault.delayMs = random.int(200, Math.floor(holdMs / 2));
    faults.push({ atMs, forMs: random.int(1500, 6000), target, fault });
  }
  const restart = {
    atMs: random.int(Math.floor(durationMs / 3), Math.floor(durationMs / 2)),
    downtimeMs: random.int(1000, 3000),
  };
  const trainingStartsMs: [number, number] = [random.int(1000, 6000), restart.atMs + random.int(-1500, 0)];
  // Each training meets one fault of the cloning API of its own, waiting for its first call there.
  const voices = FAULT_TARGETS.find((target) => target.name === 'ElevenLabs voices')!;
  for (const atMs of trainingStartsMs) {
    const kind = random.pick(CLONING_FAULTS);
    const fault: Fault = { kind, path: voices.path, times: 1 };
    if (kind === 'timeout') fault.delayMs = timeouts.speechMs + 1000;
    faults.push({ atMs, forMs: 20_000, target: voices, fault });
  }
  faults.sort((a, b) => a.atMs - b.atMs);
  return { seed, durationMs, faults, restart, trainingStartsMs };
}

/** One line per kind and target, for the run's log. */
export function describePlan(plan: FaultPlan): string {
  const counts = new Map<string, number>();
  for (const { target, fault } of plan.faults) {
    const key = `${target.name}: ${fault.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [
    `${plan.faults.length} faults over ${plan.durationMs / 1000} s; DynamoDB Local down at ` +
      `${(plan.restart.atMs / 1000).toFixed(1)} s for ${(plan.restart.downtimeMs / 1000).toFixed(1)} s`,
    ...[...counts].sort().map(([key, count]) => `  ${key} ×${count}`),
  ].join('\n');
}
