// MP3 out of samples (LAME in WebAssembly), and MP3 parts joined into one file by concatenating their frames.
import type { WasmMediaEncoder } from 'wasm-media-encoders';

type Mp3Encoder = WasmMediaEncoder<'audio/mpeg'>;
type Mp3Bitrate = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;
const MP3_BITRATES: readonly number[] = [
  8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const DEFAULT_BITRATE_KBPS = 48;

// Creating an encoder costs ~30–50 ms (it instantiates LAME's wasm), reusing one costs nothing. The package is
// imported only then: most speech arrives from its provider as MP3 already and is never encoded here.
let encoder: Promise<Mp3Encoder> | undefined;

function sharedEncoder(): Promise<Mp3Encoder> {
  encoder ??= import('wasm-media-encoders')
    .then(({ createMp3Encoder }) => createMp3Encoder())
    .catch((error: unknown) => {
      encoder = undefined;
      throw error;
    });
  return encoder;
}

function isBitrate(kbps: number): kbps is Mp3Bitrate {
  return MP3_BITRATES.includes(kbps);
}

/** Mono constant-bitrate MP3 of the samples, at their own sample rate. */
export async function encodeMp3(
  samples: Int16Array,
  sampleRate: number,
  options: { bitrateKbps?: number } = {},
): Promise<Uint8Array> {
  const bitrate = options.bitrateKbps ?? DEFAULT_BITRATE_KBPS;
  if (!isBitrate(bitrate))
    throw new Error(`Unsupported MP3 bitrate ${bitrate} kbps (one of ${MP3_BITRATES.join(', ')})`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1)
    throw new Error(`Invalid sample rate for MP3: ${sampleRate}`);
  const floats = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) floats[i] = (samples[i] ?? 0) / 32768;

  const lame = await sharedEncoder();
  // configure → encode → finalize run without an await between them, so overlapping calls cannot interleave
  // on the shared encoder; each call's output is copied because the encoder reuses its buffer.
  lame.configure({ sampleRate, channels: 1, bitrate });
  const body = lame.encode([floats]).slice();
  const tail = lame.finalize();
  const mp3 = new Uint8Array(body.length + tail.length);
  mp3.set(body);
  mp3.set(tail, body.length);
  return mp3;
}

interface FrameHeader {
  /** 1, 2, or 2.5 (MPEG-2.5). */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  sampleRate: number;
  mono: boolean;
  length: number;
}

const BITRATES_KBPS: Record<string, readonly number[]> = {
  'v1-l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1-l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1-l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2-l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2-l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
} as const;

/** The MPEG audio frame header at `offset`, or undefined when the bytes there are not one. */
function readFrameHeader(bytes: Uint8Array, offset: number): FrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes.subarray(offset, offset + 4);
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  // Free-format (bitrate index 0) frames have no computable length, and are not produced by any TTS provider.
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
    return undefined;
  }
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table = version === 1 ? `v1-l${layer}` : layer === 1 ? 'v2-l1' : 'v2-l2';
  const bitrate = (BITRATES_KBPS[table]?.[bitrateIndex] ?? 0) * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex] ?? 0;
  const padding = (b2 >> 1) & 1;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 1 ? 72 : 144) * bitrate) / sampleRate) + padding;
  return { version, layer, sampleRate, mono: b3 >> 6 === 3, length };
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** True for the Xing/Info or VBRI frame an encoder puts first to describe the whole (single) file. */
function isInfoFrame(bytes: Uint8Array, offset: number, frame: FrameHeader): boolean {
  if (frame.layer !== 3) return false;
  const sideInfo = frame.version === 1 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17;
  const tag = ascii(bytes, offset + 4 + sideInfo, 4);
  return tag === 'Xing' || tag === 'Info' || ascii(bytes, offset + 36, 4) === 'VBRI';
}

function synchsafe(bytes: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) value = value * 128 + ((bytes[offset + i] ?? 0) & 0x7f);
  return value;
}

function uint32le(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true);
}

/** Where the audio starts once leading ID3v2 tags (and the zero padding some writers leave after them) are skipped. */
function audioStart(bytes: Uint8Array): number {
  let start = 0;
  while (start + 10 <= bytes.length && ascii(bytes, start, 3) === 'ID3') {
    const hasFooter = ((bytes[start + 5] ?? 0) & 0x10) !== 0;
    start += 10 + synchsafe(bytes, start + 6) + (hasFooter ? 10 : 0);
  }
  while (start < bytes.length && bytes[start] === 0) start++;
  return Math.min(start, bytes.length);
}

/** Where the audio ends once trailing ID3v1, APE and appended ID3v2 tags are cut off. */
function audioEnd(bytes: Uint8Array, start: number): number {
  let end = bytes.length;
  for (;;) {
    if (end - 128 >= start && ascii(bytes, end - 128, 3) === 'TAG') {
      end -= 128;
    } else if (end - 32 >= start && ascii(bytes, end - 32, 8) === 'APETAGEX') {
      const size = uint32le(bytes, end - 20);
      const hasHeader = (uint32le(bytes, end - 12) & 0x80000000) !== 0;
      end = Math.max(start, end - size - (hasHeader ? 32 : 0));
    } else if (end - 10 >= start && ascii(bytes, end - 10, 3) === '3DI') {
      end = Math.max(start, end - 20 - synchsafe(bytes, end - 4));
    } else {
      return end;
    }
  }
}

/** PCM samples one frame holds, per channel. */
function samplesPerFrame(frame: FrameHeader): number {
  if (frame.layer === 1) return 384;
  return frame.layer === 3 && frame.version !== 1 ? 576 : 1152;
}

/**
 * Seconds of MPEG audio, from its frames' headers: every frame counted (the Xing/Info frame excepted), each at its
 * own sample rate. Bytes between frames that are no frame header are skipped up to the next one, as players do.
 */
export function mp3Seconds(bytes: Uint8Array): number {
  const start = audioStart(bytes);
  const end = audioEnd(bytes, start);
  let seconds = 0;
  let frames = 0;
  for (let offset = start; offset + 4 <= end;) {
    const frame = readFrameHeader(bytes, offset);
    if (!frame || offset + frame.length > end) {
      offset += 1;
      continue;
    }
    if (frames > 0 || !isInfoFrame(bytes, offset, frame))
      seconds += samplesPerFrame(frame) / frame.sampleRate;
    frames += 1;
    offset += frame.length;
  }
  if (frames === 0) throw new Error(`Cannot measure MP3 audio: no MPEG frames in ${bytes.length} bytes`);
  return seconds;
}

/**
 * One playable MP3 from several: each part's tags and Xing/Info/VBRI frame are dropped (they describe that part
 * alone, and players would report the first part's duration for the whole), its audio frames kept byte for byte.
 * Parts must share a sample rate: the result could not be played at one speed otherwise.
 */
export function joinMp3(parts: Uint8Array[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  let firstRate: number | undefined;
  parts.forEach((part, index) => {
    const label = `MP3 part ${index + 1} of ${parts.length}`;
    let start = audioStart(part);
    const end = audioEnd(part, start);
    const first = readFrameHeader(part, start);
    const next = first && start + first.length;
    if (!first || next === undefined || next > end || (next < end && !readFrameHeader(part, next))) {
      throw new Error(`${label} is not MPEG audio: no frame header at byte ${start} of ${part.length}`);
    }
    if (firstRate !== undefined && first.sampleRate !== firstRate) {
      throw new Error(
        `${label} is at ${first.sampleRate} Hz, the first part at ${firstRate} Hz: cannot join them`,
      );
    }
    firstRate ??= first.sampleRate;
    if (isInfoFrame(part, start, first)) start += first.length;
    pieces.push(part.subarray(start, end));
  });

  const joined = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}
