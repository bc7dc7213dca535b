// What the provider contract tests share: a simulator around each file with the adapter built against it, sentences
// no other test speaks, the requests a text caused, failures as TtsProviderError, and audio read by music-metadata.
import { randomUUID } from 'node:crypto';
import { parseBuffer, type IAudioMetadata } from 'music-metadata';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { CONTENT_TYPES, TtsProviderError, type TtsProvider } from '../../../functions/providers/tts/port.ts';
import type { RecordedRequest, Simulator } from '../../simulators/harness.ts';

/** The deadline of the adapter most tests use: rendering real speech can take a while. */
const PATIENT_MS = 10_000;
/** The deadline of the adapter the timeout tests use. */
const IMPATIENT_MS = 500;

export interface AdapterUnderTest {
  /** The adapter with a deadline long enough for real speech. */
  provider: TtsProvider;
  /** The same adapter with a 500 ms deadline, for the timeout tests. */
  impatient: TtsProvider;
  /** What the simulator recorded for one text. */
  requestsFor(text: string): RecordedRequest[];
  /** The body of the first request for one text. */
  bodyOf(text: string): any;
}

/** Stands for the adapter `get` returns once it is built: every property read goes to it, methods bound to it. */
function builtLater(get: () => TtsProvider): TtsProvider {
  return new Proxy({} as TtsProvider, {
    get(_target, key) {
      const adapter = get();
      const value: unknown = Reflect.get(adapter, key);
      return typeof value === 'function' ? value.bind(adapter) : value;
    },
  });
}

/**
 * Starts the simulator before the file's tests and stops it after them, clears its faults before each test, and
 * builds the adapter against it twice (`create` gets the simulator's URL and a deadline).
 */
export function adapterAgainst(
  simulator: Simulator,
  create: (url: string, timeoutMs: number) => TtsProvider,
): AdapterUnderTest {
  let built: { provider: TtsProvider; impatient: TtsProvider } | undefined;
  const get = (which: 'provider' | 'impatient') => () => {
    if (!built) throw new Error('The adapter is built in beforeAll, once the simulator has started');
    return built[which];
  };
  beforeAll(async () => {
    const url = await simulator.start();
    built = { provider: create(url, PATIENT_MS), impatient: create(url, IMPATIENT_MS) };
  });
  afterAll(() => simulator.stop());
  beforeEach(() => simulator.clearFaults());

  const requestsFor = (text: string) => simulator.requests.filter((request) => request.text === text);
  return {
    provider: builtLater(get('provider')),
    impatient: builtLater(get('impatient')),
    requestsFor,
    bodyOf: (text) => requestsFor(text)[0]?.body,
  };
}

/** A sentence no other test speaks, so each test finds its own requests in the simulator's record. */
export const sentence = (words = 'The quick brown fox jumps over the lazy dog.') =>
  `${words} (${randomUUID().slice(0, 8)})`;

/** What the promise rejects with, which must be a TtsProviderError. */
export async function failure(promise: Promise<unknown>): Promise<TtsProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TtsProviderError);
  return error as TtsProviderError;
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const collected: Uint8Array[] = [];
  for await (const chunk of chunks) collected.push(chunk);
  return collected;
}

/** The audio's format as music-metadata reads it: container, sample rate, channels, duration. */
export async function audioFormat(
  audio: Uint8Array,
  format: 'mp3' | 'wav',
): Promise<IAudioMetadata['format']> {
  return (await parseBuffer(audio, { mimeType: CONTENT_TYPES[format] })).format;
}

/** The audio's duration in seconds as music-metadata measures it; 0 when it cannot tell. */
export async function durationOf(audio: Uint8Array, format: 'mp3' | 'wav'): Promise<number> {
  return (await audioFormat(audio, format)).duration ?? 0;
}
