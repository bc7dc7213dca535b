// Turns decoded samples into what the caller asked for: mono audio at the output rate, in mp3, wav or pcm.
import { encodeMp3 } from './mp3.ts';
import { pcmToBytes, resample } from './pcm.ts';
import { encodeWav } from './wav.ts';

/** Speech needs little: 48 kbps mono MP3 is clear and keeps a minute of audio near 360 KB. */
const SPEECH_MP3_KBPS = 48;

/** `targetRate` defaults to the port's OUTPUT_SAMPLE_RATE; audio code stays free of provider imports. */
export async function fromPcm(
  samples: Int16Array,
  sampleRate: number,
  format: 'mp3' | 'wav' | 'pcm',
  targetRate = 24_000,
): Promise<Uint8Array> {
  const output = sampleRate === targetRate ? samples : resample(samples, sampleRate, targetRate);
  switch (format) {
    case 'mp3':
      return encodeMp3(output, targetRate, { bitrateKbps: SPEECH_MP3_KBPS });
    case 'wav':
      return encodeWav(output, targetRate);
    case 'pcm':
      return pcmToBytes(output);
  }
}
