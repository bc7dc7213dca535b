// `npm run recording -- <file.wav> [--seconds 40] [--voice en-us+f3]`: a speech recording made offline with the
// local voice, for trying voice cloning without recording anyone.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeWav } from '../functions/audio/wav.ts';
import { createLocalProvider } from '../functions/providers/tts/local.ts';

const TEXT =
  'Welcome in, friend. Today we have a calm indica, a bright sativa, and a balanced hybrid everyone is asking about. ' +
  'If you are new, start low and go slow, and tell me how you would like to feel this evening. ' +
  'Our gummies come in five milligram pieces, the tinctures have a marked dropper, and pre-rolls are by the register.';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seconds: { type: 'string', default: '40' }, voice: { type: 'string', default: 'en-us+f3' } },
  });
  const file = positionals[0];
  const seconds = Number(values.seconds);
  if (!file || !Number.isFinite(seconds) || seconds <= 0 || seconds > 200) {
    throw new Error('Usage: npm run recording -- <file.wav> [--seconds 1-200] [--voice en-us+f3]');
  }
  const spoken = await createLocalProvider().synthesize({ text: TEXT, voiceId: values.voice, format: 'pcm' });
  const once = new Int16Array(spoken.audio.slice().buffer);
  const samples = new Int16Array(Math.round(seconds * spoken.sampleRate));
  for (let offset = 0; offset < samples.length; offset += once.length) {
    samples.set(once.subarray(0, Math.min(once.length, samples.length - offset)), offset);
  }
  writeFileSync(file, encodeWav(samples, spoken.sampleRate));
  console.log(
    `${file}: ${seconds} s of speech, ${(samples.length * 2) / 1024 / 1024 < 1 ? `${Math.round((samples.length * 2) / 1024)} KB` : `${((samples.length * 2) / 1024 / 1024).toFixed(1)} MB`}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
