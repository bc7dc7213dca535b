// Voice cloning as the `local` provider can honestly do it: a voice PROFILE, not a clone. The samples' pitch and
// pace are measured and mapped to the nearest eSpeak NG voice, pitch and rate; the timbre is not imitated. The
// profile travels in the voice id itself (`profile:en-us+f3:p62:w172`), so nothing is stored and nothing is deleted.
import { CorruptAudioError, decodeAudio, NoDecoderError, sniffAudioFormat } from '../../audio/decode.ts';
import { TtsProviderError, type CloneSample, type VoiceCloning } from './port.ts';
import {
  decodeProfileVoiceId,
  encodeProfileVoiceId,
  measureVoice,
  profileFromMeasures,
} from './voice-profile.ts';

/** Less voiced speech than this cannot give a pitch and pace worth keeping. */
export const MIN_VOICED_SECONDS = 10;
/** Audio beyond this much (summed over the samples) is not decoded: ten minutes is plenty and bounds memory. */
const MAX_MEASURED_SECONDS = 600;
/** The language profiled when the request's labels name none. */
const DEFAULT_LANGUAGE = 'en-US';

function invalid(message: string, cause?: unknown): TtsProviderError {
  return new TtsProviderError('local', 'invalid_request', message, cause === undefined ? {} : { cause });
}

/** A sample decoded to mono floats, or an invalid_request naming the file and what is wrong with it. */
async function decodeSample(
  sample: CloneSample,
  maxSeconds: number,
): Promise<{ samples: Float32Array; rate: number }> {
  const format = sniffAudioFormat(sample.bytes);
  if (format === undefined || typeof format !== 'string') {
    const what = format === undefined ? 'empty or unrecognisable' : `a ${format.other}`;
    throw invalid(`Sample "${sample.fileName}" is not audio that can be read: it is ${what}`);
  }
  try {
    const decoded = await decodeAudio(sample.bytes, format, { maxSeconds });
    return { samples: decoded.samples, rate: decoded.sampleRate };
  } catch (error) {
    if (error instanceof NoDecoderError || error instanceof CorruptAudioError) {
      throw invalid(`Sample "${sample.fileName}": ${error.message}`, error);
    }
    throw error;
  }
}

/** The parts joined at the first part's rate; others are resampled linearly, which the measurement's low-pass hides. */
function join(parts: ReadonlyArray<{ samples: Float32Array; rate: number }>): {
  samples: Float32Array;
  rate: number;
} {
  const rate = parts[0]?.rate ?? 0;
  const resampled = parts.map(({ samples, rate: from }) => {
    if (from === rate) return samples;
    const out = new Float32Array(Math.floor((samples.length * rate) / from));
    const step = from / rate;
    for (let i = 0; i < out.length; i++) {
      const position = i * step;
      const index = Math.floor(position);
      const a = samples[index] ?? 0;
      out[i] = a + ((samples[index + 1] ?? a) - a) * (position - index);
    }
    return out;
  });
  const joined = new Float32Array(resampled.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of resampled) {
    joined.set(part, offset);
    offset += part.length;
  }
  return { samples: joined, rate };
}

/**
 * Profiles a voice from its samples; primary course:
 * 1. each sample is recognised by its bytes and decoded (up to ten minutes in all);
 * 2. the samples are joined and their pitch, pace and share of voiced speech measured;
 * 3. with at least MIN_VOICED_SECONDS of voiced speech, the measures become an eSpeak profile in the language of
 *    `labels.language` (en-US by default), whose id is the voice id; it is ready at once.
 * Unreadable samples, too little speech or a language eSpeak is not offered in are invalid requests.
 */
async function createVoice(
  request: Parameters<VoiceCloning['createVoice']>[0],
): ReturnType<VoiceCloning['createVoice']> {
  if (request.samples.length === 0) throw invalid('No samples to profile a voice from');
  const parts: Array<{ samples: Float32Array; rate: number }> = [];
  let seconds = 0;
  for (const sample of request.samples) {
    if (seconds >= MAX_MEASURED_SECONDS) break;
    const part = await decodeSample(sample, MAX_MEASURED_SECONDS - seconds);
    parts.push(part);
    seconds += part.samples.length / part.rate;
  }
  const { samples, rate } = join(parts);
  const measures = measureVoice(samples, rate);
  const voicedSeconds = measures.voiced_share * (samples.length / rate);
  if (voicedSeconds < MIN_VOICED_SECONDS) {
    throw invalid(
      `The samples hold too little speech to measure a voice (${voicedSeconds.toFixed(1)} s voiced; ` +
        `${MIN_VOICED_SECONDS} s are needed)`,
    );
  }
  const language = request.labels?.language ?? DEFAULT_LANGUAGE;
  try {
    return { voiceId: encodeProfileVoiceId(profileFromMeasures(measures, language)), status: 'ready' };
  } catch (error) {
    // The measures hold a pitch (enough was voiced), so the language is what profileFromMeasures refused.
    if (error instanceof RangeError) throw invalid(error.message, error);
    throw error;
  }
}

export const localCloning: VoiceCloning = {
  createVoice,
  async voiceStatus(voiceId) {
    return decodeProfileVoiceId(voiceId) ? 'ready' : 'missing';
  },
  async deleteVoice() {
    // The profile is the id: there is nothing stored to delete, so deleting always succeeds.
  },
};
