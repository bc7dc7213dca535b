// Small helpers the speech adapters share: audio asked for as 24 kHz pcm, Retry-After, aborts and failures in the
// port's terms. SDK-free, so each adapter's bundle carries only its own provider's SDK.
import { bytesToPcm } from '../../audio/pcm.ts';
import { encodeWav, streamingWavHeader } from '../../audio/wav.ts';
import {
  OUTPUT_SAMPLE_RATE,
  TtsProviderError,
  type AudioFormat,
  type ProviderName,
  type SynthesisResult,
} from './port.ts';

/**
 * The answer of a provider asked for mp3, or for 16-bit mono pcm at OUTPUT_SAMPLE_RATE when the caller wants wav or
 * pcm, as the result: mp3 and pcm as they came, wav as the samples with an exact header.
 */
export function resultFromPcm(bytes: Uint8Array, format: AudioFormat, model: string): SynthesisResult {
  const audio = format === 'wav' ? encodeWav(bytesToPcm(bytes), OUTPUT_SAMPLE_RATE) : bytes;
  return { audio, format, sampleRate: OUTPUT_SAMPLE_RATE, model };
}

/** The same for a streamed answer: wav starts with a header of unknown length, then the samples as they come. */
export async function* streamFromPcm(
  chunks: AsyncIterable<Uint8Array>,
  format: AudioFormat,
): AsyncIterable<Uint8Array> {
  if (format === 'wav') yield streamingWavHeader(OUTPUT_SAMPLE_RATE);
  yield* chunks;
}

/** A Retry-After value (delay in seconds, or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A call the caller abandoned, filed as a timeout: the caller ran out of time, the provider may be fine. */
export function callerAborted(provider: ProviderName, label: string, cause: unknown): TtsProviderError {
  return new TtsProviderError(provider, 'timeout', `${label} call aborted by the caller`, { cause });
}

/** A failure the SDK gives no status for (a broken connection or audio stream): worth another try. */
export function callFailed(provider: ProviderName, label: string, cause: unknown): TtsProviderError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TtsProviderError(provider, 'retryable', `${label} call failed: ${reason}`, { cause });
}

/** Settles as the call does, or rejects with the caller's reason as soon as it aborts (the call is abandoned). */
export function abortable<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call;
  if (signal.aborted) {
    // The call is already under way and nobody will wait for it: its failure must not go unhandled, which would
    // stop the Lambda runtime.
    call.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
