// Recordings and uploads for the voice-cloning tests: real speech from the local provider, sent through the
// presigned POSTs the API hands out, then waited on until the validator has judged them.
import { encodeWav } from '../../functions/audio/wav.ts';
import { createLocalProvider } from '../../functions/providers/tts/local.ts';
import { call } from './support.ts';

const PARAGRAPH =
  'Welcome in, friend. Today we have a calm indica called Northern Lights, a bright sativa called Green Crack, ' +
  'and a balanced hybrid everyone is talking about. If you are new, start low and go slow, and tell me how you ' +
  'want to feel this evening. Our gummies come in five milligram pieces, and the tinctures have a dropper marked ' +
  'in quarter doses. Pre-rolls are by the register, and the accessories shelf has grinders, papers and lighters. ' +
  'Ask me anything at all; I am happy to walk you through the whole menu, one shelf at a time.';

const speechCache = new Map<number, Uint8Array>();

/** About `seconds` of real speech as a 24 kHz WAV file (the paragraph repeated as often as needed). */
export async function speechWav(seconds: number): Promise<Uint8Array> {
  const cached = speechCache.get(seconds);
  if (cached) return cached;
  const provider = createLocalProvider();
  const once = await provider.synthesize({ text: PARAGRAPH, voiceId: 'en-us+f3', format: 'pcm' });
  const perPass = once.audio.length / 2 / 24_000;
  const passes = Math.ceil(seconds / perPass);
  const pcm = new Int16Array(Math.round(seconds * 24_000));
  const source = new Int16Array(
    once.audio.buffer.slice(once.audio.byteOffset, once.audio.byteOffset + once.audio.length),
  );
  for (let pass = 0; pass < passes; pass += 1)
    pcm.set(
      source.subarray(0, Math.min(source.length, pcm.length - pass * source.length)),
      pass * source.length,
    );
  const wav = encodeWav(pcm, 24_000);
  speechCache.set(seconds, wav);
  return wav;
}

/** Seeded white noise: no speech in it. */
export function noiseWav(seconds: number): Uint8Array {
  let seed = 42;
  const samples = new Int16Array(Math.round(seconds * 24_000));
  for (let i = 0; i < samples.length; i += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    samples[i] = Math.round((seed / 2 ** 31 - 0.5) * 16_000);
  }
  return encodeWav(samples, 24_000);
}

export interface Recording {
  name: string;
  bytes: Uint8Array;
  contentType?: string;
}

/** A sample as the upload route registers it: its id and the presigned POST that takes its bytes. */
export interface RegisteredSample {
  sample_id: string;
  upload: { url: string; fields: Record<string, string> };
}

/** Uploads each recording through its sample's presigned POST, in the order they were registered. */
export async function postRecordings(samples: RegisteredSample[], recordings: Recording[]): Promise<void> {
  await Promise.all(
    samples.map(async (sample, index) => {
      const recording = recordings[index]!;
      const form = new FormData();
      for (const [name, value] of Object.entries(sample.upload.fields)) form.append(name, value);
      form.append(
        'file',
        new Blob([recording.bytes], { type: recording.contentType ?? 'audio/wav' }),
        recording.name,
      );
      const response = await fetch(sample.upload.url, { method: 'POST', body: form });
      if (response.status >= 300)
        throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    }),
  );
}

/** Registers the recordings, uploads each through its presigned POST, and returns the sample ids in order. */
export async function uploadRecordings(
  token: string,
  personalityId: string,
  recordings: Recording[],
): Promise<string[]> {
  const registered = await call(`/api/admin/ai-personalities/${personalityId}/voice/upload`, {
    token,
    json: {
      files: recordings.map((recording) => ({
        name: recording.name,
        content_type: recording.contentType ?? 'audio/wav',
        size: Math.min(recording.bytes.length, 10 * 1024 * 1024),
      })),
    },
  });
  if (registered.status !== 201)
    throw new Error(`upload registration failed: ${JSON.stringify(registered.body)}`);
  const samples = registered.body.samples as RegisteredSample[];
  await postRecordings(samples, recordings);
  return samples.map((sample) => sample.sample_id);
}

export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the validator has judged every sample (none pending). */
export async function judgedSamples(token: string, personalityId: string): Promise<any> {
  return waitFor(
    'the sample validator',
    async () => (await call(`/api/admin/ai-personalities/${personalityId}/voice/samples`, { token })).body,
    (body: { samples: Array<{ status: string }> }) =>
      body.samples.length > 0 && body.samples.every((sample) => sample.status !== 'pending'),
  );
}

export async function finishedTraining(token: string, personalityId: string): Promise<any> {
  return waitFor(
    'the training to finish',
    async () => (await call(`/api/admin/ai-personalities/${personalityId}/voice/status`, { token })).body,
    (body: { status: string }) => body.status === 'ready' || body.status === 'failed',
  );
}

export const CONSENT = {
  speaker_name: 'Dana Example',
  statement:
    'I, Dana Example, agree that my recorded voice may be used to create a synthetic voice for this store.',
  attested_by: 'store-admin@example.com',
};
