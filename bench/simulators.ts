// The provider simulators for the benchmarks, in this process, at fixed and documented latencies; each request they
// serve is timed from their own side, so the platform's overhead is what remains of a turn once their time is taken out.
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import { startSimulators, type Simulators } from '../test/simulators/index.ts';
import { now, type Interval } from './support.ts';

/** The latencies every figure is measured at; bench/README.md quotes them. */
export const LATENCY = {
  /** Google (the built-in personalities' voice) holds each speech answer this long before its first byte. */
  speechFirstByteMs: 250,
  /** The model streams one token-sized chunk every this many milliseconds. */
  modelChunkMs: 40,
  /** A whole (unstreamed) reply for the overhead and load runs comes after one chunk's time. */
  modelWholeReplyMs: 40,
} as const;

export const SPEECH_PATH = '/v1/text:synthesize';
export const CHAT_PATH = '/v1/chat/completions';

export interface SimulatorCall extends Interval {
  simulator: string;
  path: string;
}

export interface BenchSimulators {
  simulators: Simulators;
  /** Requests the simulators finished within [from, to] (control calls left out). */
  calls(from: number, to?: number): SimulatorCall[];
  /** Every speech answer waits `ms` before its first byte; 0 takes the wait away. */
  setSpeechLatency(ms: number): void;
  /** Every whole reply waits `ms`; `times` limits it to the next few requests (streamed ones included). */
  holdModel(ms: number, times?: number): void;
  /** The model's next replies: this text, streamed a chunk every `chunkMs`. */
  setReply(text: string | null, chunkMs?: number): void;
  stop(): Promise<void>;
}

/** Roughly how the OpenAI simulator cuts a reply into streamed chunks (its own tokeniser, repeated here). */
export function modelChunks(text: string): number {
  return (text.match(/\s*[\p{L}\p{N}'’]+|\s*[^\s\p{L}\p{N}'’]|\s+$/gu) ?? []).length;
}

export async function startBenchSimulators(): Promise<BenchSimulators> {
  const simulators = await startSimulators();
  const names = new Map<number, string>();
  for (const name of ['elevenlabs', 'google', 'openai', 'polly'] as const)
    names.set(Number(new URL(simulators[name].url).port), name);

  // Node publishes every server request's start and finish; only the simulators serve HTTP in this process.
  const open = new WeakMap<IncomingMessage, number>();
  const finished: SimulatorCall[] = [];
  const onStart = (message: unknown) => {
    open.set((message as { request: IncomingMessage }).request, now());
  };
  const onFinish = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const start = open.get(request);
    const path = request.url ?? '';
    if (start === undefined || path.startsWith('/__control')) return;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    finished.push({ simulator: names.get(port) ?? 'unknown', path, start, end: now() });
  };
  subscribe('http.server.request.start', onStart);
  subscribe('http.server.response.finish', onFinish);

  let speechFault: number | undefined;
  let modelFault: number | undefined;
  return {
    simulators,
    calls(from, to = Number.POSITIVE_INFINITY) {
      // Old calls are dropped as windows move on, so a long run does not keep every request.
      while (finished.length > 50_000) finished.shift();
      return finished.filter((call) => call.start >= from && call.end <= to);
    },
    setSpeechLatency(ms) {
      if (speechFault !== undefined) simulators.google.clearFaults(speechFault);
      speechFault =
        ms > 0
          ? simulators.google.addFault({ kind: 'slow_first_byte', path: SPEECH_PATH, delayMs: ms })
          : undefined;
    },
    holdModel(ms, times) {
      if (modelFault !== undefined) simulators.openai.clearFaults(modelFault);
      modelFault =
        ms > 0
          ? simulators.openai.addFault({
              kind: 'slow_first_byte',
              path: CHAT_PATH,
              delayMs: ms,
              ...(times ? { times } : {}),
            })
          : undefined;
    },
    setReply(text, chunkMs = 0) {
      if (text === null) simulators.openai.state.delete('chatReply');
      else simulators.openai.state.set('chatReply', text);
      simulators.openai.state.set('tokenDelayMs', chunkMs);
    },
    async stop() {
      await simulators.stop();
    },
  };
}
