// How long a piece of audio plays, in seconds: what usage is metered by and what callers are told.
import { mp3Seconds } from './mp3.ts';
import { readWavHeader } from './wav.ts';

/**
 * Seconds of audio in `bytes`. MP3 frames are counted rather than estimated from the bitrate, so joined parts
 * and files without a Xing header measure exactly; `sampleRate` is only used for headerless pcm.
 */
export async function audioSeconds(
  bytes: Uint8Array,
  format: 'mp3' | 'wav' | 'pcm',
  sampleRate = 24_000,
): Promise<number> {
  switch (format) {
    case 'mp3':
      // Read off the frame headers here: a general tag parser costs a few milliseconds a sentence for the same sum.
      return mp3Seconds(bytes);
    case 'wav': {
      const header = readWavHeader(bytes);
      return header.dataLength / header.blockAlign / header.sampleRate;
    }
    case 'pcm':
      if (!(sampleRate > 0)) throw new Error(`Invalid PCM sample rate: ${sampleRate}`);
      return bytes.length / 2 / sampleRate;
  }
}
