// Joins audio parts (sentences synthesised one by one) into one file of the same format.
import { joinMp3 } from './mp3.ts';
import { resample } from './pcm.ts';
import { encodeWav, parseWav } from './wav.ts';

/**
 * One file from several parts of one format: mp3 by concatenating frames, wav by concatenating samples under one
 * header (at the first part's sample rate, resampling the others), pcm by concatenating bytes.
 */
export function joinAudio(parts: Uint8Array[], format: 'mp3' | 'wav' | 'pcm'): Uint8Array {
  if (parts.length === 0) throw new Error(`No ${format} parts to join`);
  switch (format) {
    case 'mp3':
      return joinMp3(parts);
    case 'pcm':
      return concat(parts);
    case 'wav': {
      const wavs = parts.map((part, index) => {
        try {
          return parseWav(part);
        } catch (error) {
          throw new Error(`WAV part ${index + 1} of ${parts.length} cannot be read`, { cause: error });
        }
      });
      const rate = wavs[0]?.sampleRate ?? 0;
      const samples = wavs.map((wav) => resample(wav.samples, wav.sampleRate, rate));
      const joined = new Int16Array(samples.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of samples) {
        joined.set(part, offset);
        offset += part.length;
      }
      return encodeWav(joined, rate);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
