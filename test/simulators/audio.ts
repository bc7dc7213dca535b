// Real speech for the provider simulators: the `local` provider (eSpeak NG) rendered, then resampled and encoded
// the way the simulated provider sends it, so SDKs and parsers meet real audio, not silence or random bytes.
import { encodeMp3 } from '../../functions/audio/mp3.ts';
import { pcmToBytes, resample } from '../../functions/audio/pcm.ts';
import { encodeWav, parseWav } from '../../functions/audio/wav.ts';
import { createLocalProvider } from '../../functions/providers/tts/local.ts';
import type { TtsProvider, VoiceInfo } from '../../functions/providers/tts/port.ts';

export interface RenderOptions {
  format: 'mp3' | 'wav' | 'pcm';
  sampleRate: number;
  /** A provider's voice id: the same id always gets the same eSpeak voice; an eSpeak voice id is used as is. */
  voice?: string;
  /** MP3 bitrate (default 48 kbps). */
  bitrateKbps?: number;
  /** Speaking speed, 1 = normal, as the provider's `speed` setting; eSpeak's range applies. */
  speed?: number;
}

/** eSpeak takes 5,000 characters at a time; longer texts (ElevenLabs allows 40,000) are spoken in pieces. */
const PIECE_CHARACTERS = 4000;
const CACHE_ENTRIES = 64;

let local: TtsProvider | undefined;
let englishVoices: Promise<VoiceInfo[]> | undefined;
// Tests ask for the same sentences again and again; eSpeak takes ~100–200 ms a call.
const rendered = new Map<string, Promise<Uint8Array>>();

function localProvider(): TtsProvider {
  local ??= createLocalProvider();
  return local;
}

/** FNV-1a: a stable spread of voice ids over the eSpeak voices. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

async function espeakVoice(voice: string | undefined): Promise<string> {
  englishVoices ??= localProvider().listVoices({ language: 'en' });
  const voices = await englishVoices;
  if (voice && voices.some((candidate) => candidate.id === voice)) return voice;
  const chosen = voices[voice ? hash(voice) % voices.length : 0];
  if (!chosen) throw new Error('The local provider lists no English voice');
  return chosen.id;
}

function pieces(text: string): string[] {
  const found: string[] = [];
  let rest = text;
  while (rest.length > PIECE_CHARACTERS) {
    const cut = rest.lastIndexOf(' ', PIECE_CHARACTERS);
    const at = cut > 0 ? cut : PIECE_CHARACTERS;
    found.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.trim() !== '') found.push(rest);
  return found;
}

async function render(text: string, options: RenderOptions): Promise<Uint8Array> {
  const voiceId = await espeakVoice(options.voice);
  const settings = options.speed === undefined ? {} : { settings: { speaking_rate: options.speed } };
  const parts: Int16Array[] = [];
  let sourceRate = 0;
  for (const piece of pieces(text)) {
    const { audio } = await localProvider().synthesize({ text: piece, voiceId, format: 'wav', ...settings });
    const wav = parseWav(audio);
    sourceRate = wav.sampleRate;
    parts.push(wav.samples);
  }
  const joined = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  const samples = sourceRate ? resample(joined, sourceRate, options.sampleRate) : joined;
  switch (options.format) {
    case 'mp3':
      return encodeMp3(samples, options.sampleRate, { bitrateKbps: options.bitrateKbps ?? 48 });
    case 'wav':
      return encodeWav(samples, options.sampleRate);
    case 'pcm':
      return pcmToBytes(samples);
  }
}

/** Speech for `text`, mono, in the format and at the rate asked for. Identical requests give identical bytes. */
export function renderSpeech(text: string, options: RenderOptions): Promise<Uint8Array> {
  const key = JSON.stringify([
    text,
    options.format,
    options.sampleRate,
    options.voice,
    options.bitrateKbps,
    options.speed,
  ]);
  let audio = rendered.get(key);
  if (!audio) {
    audio = render(text, options);
    audio.catch(() => rendered.delete(key));
    rendered.set(key, audio);
    if (rendered.size > CACHE_ENTRIES) rendered.delete(rendered.keys().next().value ?? key);
  }
  // A copy, so a caller that changes its bytes (a simulator writing a streaming header) spoils no other answer.
  return audio.then((bytes) => bytes.slice());
}
