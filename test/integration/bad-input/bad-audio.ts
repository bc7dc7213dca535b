// Recordings no voice should be cloned from, built in code: damaged containers, files that lie about what they are,
// and sound that is not speech. Each names the reason code the sample validator must reject it with.
import { encodeWav } from '../../../functions/audio/wav.ts';
import {
  RATE,
  concatBytes,
  png,
  randomBytes,
  seededRandom,
  shortSpeechSamples,
  silence,
  tone,
  truncate,
  wav,
  whiteNoise,
} from '../../fixtures/audio-fixtures.ts';

export interface BadAudio {
  /** What the file is, as a test name. */
  name: string;
  /** The name and type the uploader claims; the validator must judge the bytes. */
  fileName: string;
  contentType: string;
  bytes: () => Promise<Uint8Array> | Uint8Array;
  /** Reason codes that each describe the fault; the report's first rejecting reason must be one of them. */
  reasons: readonly string[];
}

/** Long enough to pass the 5-second minimum, so the quality checks are what rejects the synthetic sounds. */
const SECONDS = 6;

const ascii = (text: string) => new TextEncoder().encode(text);

/** A canonical WAV header whose fields can each be set to a lie. */
function wavHeader(fields: {
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  dataBytes: number;
}): Uint8Array {
  const channels = fields.channels ?? 1;
  const sampleRate = fields.sampleRate ?? RATE;
  const bits = fields.bitsPerSample ?? 16;
  const blockAlign = fields.blockAlign ?? Math.max(1, (channels * bits) / 8);
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  header.set(ascii('RIFF'), 0);
  view.setUint32(4, 36 + fields.dataBytes, true);
  header.set(ascii('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  header.set(ascii('data'), 36);
  view.setUint32(40, fields.dataBytes, true);
  return header;
}

/** A speech WAV whose header claims 10 MB of audio while the file holds one second. */
function lyingLengthWav(): Uint8Array {
  const bytes = wav(tone(1, 220));
  const view = new DataView(bytes.buffer);
  view.setUint32(4, 36 + 10_000_000, true);
  view.setUint32(40, 10_000_000, true);
  return bytes;
}

/** MPEG-1 Layer III frame headers (128 kbit/s, 44.1 kHz, mono) each followed by random bytes instead of audio. */
function garbageFramesMp3(): Uint8Array {
  const random = seededRandom(31);
  const frameLength = 417;
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 400; i++) {
    const frame = Uint8Array.from({ length: frameLength }, () => Math.floor(random() * 256));
    frame.set([0xff, 0xfb, 0x90, 0xc4], 0);
    frames.push(frame);
  }
  return concatBytes(frames);
}

/** An ID3v2.3 tag with a title and nothing after it: the tag of an MP3 whose audio never arrived. */
function id3Only(): Uint8Array {
  const title = concatBytes([Uint8Array.of(0), ascii('My voice, take one')]);
  const frame = new Uint8Array(10 + title.length);
  frame.set(ascii('TIT2'), 0);
  new DataView(frame.buffer).setUint32(4, title.length);
  frame.set(title, 10);
  const size = frame.length;
  const header = Uint8Array.of(
    ...ascii('ID3'),
    3,
    0,
    0,
    (size >> 21) & 0x7f,
    (size >> 14) & 0x7f,
    (size >> 7) & 0x7f,
    size & 0x7f,
  );
  return concatBytes([header, frame]);
}

/** `fLaC` and a STREAMINFO block announcing ten seconds at 44.1 kHz, and no frames. */
function flacHeaderOnly(): Uint8Array {
  const info = new Uint8Array(34);
  const view = new DataView(info.buffer);
  view.setUint16(0, 4096);
  view.setUint16(2, 4096);
  // Sample rate (20 bits), channels − 1 (3 bits), bits per sample − 1 (5 bits), total samples (36 bits).
  const sampleRate = 44_100;
  const totalSamples = 441_000;
  info[10] = (sampleRate >> 12) & 0xff;
  info[11] = (sampleRate >> 4) & 0xff;
  info[12] = ((sampleRate & 0x0f) << 4) | (0 << 1) | ((15 >> 4) & 1);
  info[13] = ((15 & 0x0f) << 4) | 0;
  view.setUint32(14, totalSamples);
  return concatBytes([ascii('fLaC'), Uint8Array.of(0x80, 0, 0, 34), info]);
}

/** An Ogg page: capture pattern, header type, granule, serial, sequence, CRC (left wrong) and one segment table. */
function oggPage(headerType: number, sequence: number, body: Uint8Array): Uint8Array {
  const segments: number[] = [];
  for (let rest = body.length; rest >= 0; rest -= 255) segments.push(Math.min(255, rest));
  const header = new Uint8Array(27 + segments.length);
  const view = new DataView(header.buffer);
  header.set(ascii('OggS'), 0);
  header[5] = headerType;
  view.setUint32(14, 0x1234, true);
  view.setUint32(18, sequence, true);
  view.setUint32(22, 0xdeadbeef, true);
  header[26] = segments.length;
  header.set(segments, 27);
  return concatBytes([header, body]);
}

/** A Vorbis identification page, then pages of noise where the setup headers and audio should be. */
function brokenPageOgg(): Uint8Array {
  const identification = new Uint8Array(30);
  identification.set([1, ...ascii('vorbis')], 0);
  const view = new DataView(identification.buffer);
  view.setUint8(11, 1);
  view.setUint32(12, 44_100, true);
  identification[28] = 0xb8;
  identification[29] = 1;
  return concatBytes([
    oggPage(2, 0, identification),
    oggPage(0, 1, randomBytes(4000, 5)),
    oggPage(0, 2, randomBytes(4000, 6)),
  ]);
}

/** An `ftyp` box of an M4A and an `mdat` of noise, without the `moov` box that says what the data is. */
function moovlessM4a(): Uint8Array {
  const ftyp = new Uint8Array(24);
  const view = new DataView(ftyp.buffer);
  view.setUint32(0, 24);
  ftyp.set(ascii('ftypM4A '), 4);
  view.setUint32(12, 0);
  ftyp.set(ascii('M4A isom'), 16);
  const payload = randomBytes(20_000, 9);
  const mdat = new Uint8Array(8);
  new DataView(mdat.buffer).setUint32(0, 8 + payload.length);
  mdat.set(ascii('mdat'), 4);
  return concatBytes([ftyp, mdat, payload]);
}

/** A full-scale square wave: every sample at the top or the bottom of the range. */
function clippedSquare(): Int16Array {
  const period = Math.round(RATE / 200);
  return Int16Array.from({ length: SECONDS * RATE }, (_, i) => (i % period < period / 2 ? 32767 : -32768));
}

/** 8 kHz with 1 bit a sample (random bits): no encoder writes this; the header says so, the bytes are noise. */
function oneBitWav(): Uint8Array {
  const dataBytes = SECONDS * 8000;
  return concatBytes([
    wavHeader({ sampleRate: 8000, bitsPerSample: 1, blockAlign: 1, dataBytes }),
    randomBytes(dataBytes, 13),
  ]);
}

/** A WAV file that declares no channels. */
function zeroChannelWav(): Uint8Array {
  const data = new Uint8Array(SECONDS * RATE * 2);
  return concatBytes([wavHeader({ channels: 0, blockAlign: 2, dataBytes: data.length }), data]);
}

/** An AIFF file: audio, but not a format the platform takes. */
function aiff(): Uint8Array {
  const body = concatBytes([ascii('AIFF'), ascii('COMM'), Uint8Array.of(0, 0, 0, 18), new Uint8Array(18)]);
  const header = new Uint8Array(8);
  header.set(ascii('FORM'), 0);
  new DataView(header.buffer).setUint32(4, body.length);
  return concatBytes([header, body]);
}

async function oneSecondOfSpeech(): Promise<Uint8Array> {
  return encodeWav((await shortSpeechSamples()).slice(0, RATE), RATE);
}

export const BAD_AUDIO: readonly BadAudio[] = [
  {
    name: 'a WAV cut off part-way through',
    fileName: 'interrupted.wav',
    contentType: 'audio/wav',
    bytes: () => truncate(wav(tone(SECONDS, 180))),
    reasons: ['corrupt_file'],
  },
  {
    name: 'a WAV whose header claims 10 MB of audio it does not hold',
    fileName: 'liar.wav',
    contentType: 'audio/wav',
    bytes: lyingLengthWav,
    reasons: ['corrupt_file'],
  },
  {
    name: 'a WAV with a zero-length data chunk and nothing after it',
    fileName: 'empty-data.wav',
    contentType: 'audio/wav',
    bytes: () => wavHeader({ dataBytes: 0 }),
    reasons: ['corrupt_file'],
  },
  {
    name: 'a WAV of 44 bytes of silence',
    fileName: 'blip.wav',
    contentType: 'audio/wav',
    bytes: () => concatBytes([wavHeader({ dataBytes: 44 }), new Uint8Array(44)]),
    reasons: ['too_short'],
  },
  {
    name: 'a WAV that declares zero channels',
    fileName: 'no-channels.wav',
    contentType: 'audio/wav',
    bytes: zeroChannelWav,
    reasons: ['corrupt_file'],
  },
  {
    name: 'an 8 kHz WAV with 1 bit a sample',
    fileName: 'one-bit.wav',
    contentType: 'audio/wav',
    bytes: oneBitWav,
    reasons: ['corrupt_file'],
  },
  {
    name: 'an MP3 of valid frame headers around random bytes',
    fileName: 'garbage.mp3',
    contentType: 'audio/mpeg',
    bytes: garbageFramesMp3,
    reasons: ['corrupt_file'],
  },
  {
    name: 'an ID3 tag with no audio after it',
    fileName: 'tag-only.mp3',
    contentType: 'audio/mpeg',
    bytes: id3Only,
    reasons: ['corrupt_file'],
  },
  {
    name: 'a FLAC stream header with no frames',
    fileName: 'header-only.flac',
    contentType: 'audio/flac',
    bytes: flacHeaderOnly,
    reasons: ['corrupt_file'],
  },
  {
    name: 'an OGG Vorbis file whose pages after the first are noise',
    fileName: 'broken.ogg',
    contentType: 'audio/ogg',
    bytes: brokenPageOgg,
    reasons: ['corrupt_file'],
  },
  {
    name: 'an M4A without its moov box',
    fileName: 'no-moov.m4a',
    contentType: 'audio/mp4',
    bytes: moovlessM4a,
    reasons: ['corrupt_file'],
  },
  {
    name: 'a PNG image named .wav',
    fileName: 'picture.wav',
    contentType: 'audio/wav',
    bytes: png,
    reasons: ['not_audio'],
  },
  {
    name: 'a text file named .mp3',
    fileName: 'notes.mp3',
    contentType: 'audio/mpeg',
    bytes: () => ascii('Remember to record the voice sample tomorrow morning, in a quiet room.\n'.repeat(40)),
    reasons: ['not_audio'],
  },
  {
    name: 'an AIFF file',
    fileName: 'studio.wav',
    contentType: 'audio/wav',
    bytes: aiff,
    reasons: ['unsupported_format'],
  },
  {
    name: 'random bytes named .m4a',
    fileName: 'random.m4a',
    contentType: 'audio/m4a',
    bytes: () => randomBytes(30_000, 17),
    reasons: ['unsupported_format'],
  },
  {
    name: 'a one-second clip of speech',
    fileName: 'hello.wav',
    contentType: 'audio/wav',
    bytes: oneSecondOfSpeech,
    reasons: ['too_short'],
  },
  {
    name: 'a full-scale square wave',
    fileName: 'square.wav',
    contentType: 'audio/wav',
    bytes: () => wav(clippedSquare()),
    reasons: ['clipping', 'no_speech'],
  },
  {
    name: 'a pure sine tone',
    fileName: 'tone.wav',
    contentType: 'audio/wav',
    bytes: () => wav(tone(SECONDS, 440)),
    reasons: ['no_speech'],
  },
  {
    name: 'white noise',
    fileName: 'static.wav',
    contentType: 'audio/wav',
    bytes: () => wav(whiteNoise(SECONDS, 0.2)),
    reasons: ['no_speech', 'noisy'],
  },
  {
    name: 'digital silence',
    fileName: 'nothing.wav',
    contentType: 'audio/wav',
    bytes: () => wav(silence(SECONDS)),
    reasons: ['silence'],
  },
];
