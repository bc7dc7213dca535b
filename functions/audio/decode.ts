// Recognising an uploaded file by its bytes, and decoding the common audio formats to mono samples (WebAssembly).
// Each decoder (WebAssembly inlined in its package) is imported the first time its format is met: a function pays
// at cold start for none of them, and later only for the formats it sees.
import { parseWav, readWavHeader } from './wav.ts';

export const AUDIO_FORMATS = ['wav', 'mp3', 'm4a', 'flac', 'ogg'] as const;
export type SniffableAudioFormat = (typeof AUDIO_FORMATS)[number];

/**
 * What a file that is none of the formats above turned out to be, in words a person knows ("PNG image").
 * `audio` is set for sound formats that are recognised but not accepted (AIFF, WMA, WebM…).
 */
export interface OtherFileKind {
  other: string;
  audio?: boolean;
}

export type SniffedFormat = SniffableAudioFormat | OtherFileKind;

/** The format has no decoder here (M4A/AAC): callers fall back to what the container's metadata says. */
export class NoDecoderError extends Error {
  override readonly name = 'NoDecoderError';
  constructor(
    readonly format: string,
    message = `There is no decoder for ${format} audio`,
  ) {
    super(message);
  }
}

/** The bytes claim a format but cannot be decoded as it: damaged, or cut off (`truncated`). */
export class CorruptAudioError extends Error {
  override readonly name = 'CorruptAudioError';
  constructor(
    message: string,
    readonly truncated = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DecodedAudio {
  sampleRate: number;
  /** Channels in the file; `samples` is always their mono mix. */
  channels: number;
  /** Mono mix, −1…1 (lossy decoders may overshoot slightly). */
  samples: Float32Array;
  /** False when decoding stopped at `maxSeconds`: `samples` holds the start of the recording only. */
  complete: boolean;
}

export interface DecodeOptions {
  /** Stops decoding after this much audio, bounding memory for long compressed files. Unlimited by default. */
  maxSeconds?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Sniffing

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset < 0 || offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((value, i) => bytes[offset + i] === value);
}

function uint32be(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

function uint32le(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) |
      ((bytes[offset + 1] ?? 0) << 8) |
      ((bytes[offset + 2] ?? 0) << 16) |
      ((bytes[offset + 3] ?? 0) << 24)) >>>
    0
  );
}

function synchsafe(bytes: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) value = value * 128 + ((bytes[offset + i] ?? 0) & 0x7f);
  return value;
}

/** Where the content starts once leading ID3v2 tags (and the zero padding some writers leave after them) are skipped. */
function skipId3(bytes: Uint8Array): number {
  let start = 0;
  while (start + 10 <= bytes.length && ascii(bytes, start, 3) === 'ID3') {
    const hasFooter = ((bytes[start + 5] ?? 0) & 0x10) !== 0;
    start += 10 + synchsafe(bytes, start + 6) + (hasFooter ? 10 : 0);
  }
  while (start < bytes.length && bytes[start] === 0) start++;
  return Math.min(start, bytes.length);
}

interface MpegFrame {
  sampleRate: number;
  mono: boolean;
  length: number;
  /** Samples per channel in the frame. */
  samples: number;
}

const MPEG_BITRATES_KBPS: Record<string, readonly number[]> = {
  'v1-l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1-l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1-l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2-l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2-l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_SAMPLE_RATES: Record<1 | 2 | 25, readonly number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  25: [11025, 12000, 8000],
};

/** The MPEG audio frame header at `offset`, or undefined when the bytes there are not one (free format included). */
function mpegFrame(bytes: Uint8Array, offset: number): MpegFrame | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  const b3 = bytes[offset + 3] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
    return undefined;
  }
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 25;
  const layer = 4 - layerBits;
  const table = version === 1 ? `v1-l${layer}` : layer === 1 ? 'v2-l1' : 'v2-l2';
  const bitrate = (MPEG_BITRATES_KBPS[table]?.[bitrateIndex] ?? 0) * 1000;
  const sampleRate = MPEG_SAMPLE_RATES[version][rateIndex] ?? 0;
  const padding = (b2 >> 1) & 1;
  const v1 = version === 1;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && !v1 ? 72 : 144) * bitrate) / sampleRate) + padding;
  const samples = layer === 1 ? 384 : layer === 3 && !v1 ? 576 : 1152;
  return { sampleRate, mono: b3 >> 6 === 3, length, samples };
}

/** Frames needed in a row before bytes count as MPEG audio: one header is easily matched by chance. */
function isMpegRun(bytes: Uint8Array, offset: number, framesInRow: number): boolean {
  let position = offset;
  for (let i = 0; i < framesInRow; i++) {
    const frame = mpegFrame(bytes, position);
    if (!frame) return false;
    position += frame.length;
    // A file holding just this many frames is MPEG audio too.
    if (position === bytes.length) return true;
  }
  return true;
}

/** How far into a file (after its ID3 tag) an MPEG stream may start, past junk some tools leave there. */
const MPEG_SYNC_SEARCH_BYTES = 4096;

function findMpegStart(bytes: Uint8Array, start: number): number | undefined {
  if (isMpegRun(bytes, start, 2)) return start;
  const limit = Math.min(bytes.length - 4, start + MPEG_SYNC_SEARCH_BYTES);
  for (let offset = start + 1; offset < limit; offset++) {
    if (bytes[offset] === 0xff && isMpegRun(bytes, offset, 3)) return offset;
  }
  return undefined;
}

/** An ADTS (raw AAC) frame header and a second one where its length says. */
function isAdts(bytes: Uint8Array, offset: number): boolean {
  const frameLength = (at: number): number =>
    bytes[at] === 0xff && ((bytes[at + 1] ?? 0) & 0xf6) === 0xf0
      ? (((bytes[at + 3] ?? 0) & 3) << 11) | ((bytes[at + 4] ?? 0) << 3) | ((bytes[at + 5] ?? 0) >> 5)
      : 0;
  const first = frameLength(offset);
  return first >= 7 && (offset + first === bytes.length || frameLength(offset + first) >= 7);
}

/** Brands of the ISO media family (`ftyp`) by what they hold; generic brands are decided by the tracks' handlers. */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const VIDEO_BRANDS: Record<string, string> = {
  'qt  ': 'QuickTime video',
  'M4V ': 'MP4 video',
  M4VH: 'MP4 video',
  M4VP: 'MP4 video',
  'F4V ': 'Flash MP4 video',
};
const IMAGE_BRANDS: Record<string, string> = {
  heic: 'HEIC image',
  heix: 'HEIC image',
  mif1: 'HEIF image',
  msf1: 'HEIF image',
  avif: 'AVIF image',
};

/** True when a track handler (`hdlr` box) of type `vide` appears anywhere in the file. */
function hasVideoTrack(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // hdlr box: size, 'hdlr', version/flags (4), pre_defined (4), handler type (4).
  for (let at = buffer.indexOf('hdlr'); at >= 0; at = buffer.indexOf('hdlr', at + 4)) {
    if (ascii(bytes, at + 12, 4) === 'vide') return true;
  }
  return false;
}

/** More compatible brands than any real file lists; a larger box size is garbage, not a reason to read further. */
const MAX_BRANDS = 64;

function sniffIsoMedia(bytes: Uint8Array): SniffedFormat {
  const boxSize = uint32be(bytes, 0);
  const end = Math.min(bytes.length, Math.max(16, Math.min(boxSize, MAX_BRANDS * 4 + 16)));
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, 4));
  const major = brands[0] ?? '';
  const image = IMAGE_BRANDS[major];
  if (image) return { other: image };
  const video = VIDEO_BRANDS[major];
  if (video) return { other: video };
  if (brands.some((brand) => AUDIO_BRANDS.has(brand))) return 'm4a';
  // isom, mp41, mp42, iso2…, 3gp…, dash: audio-only files from recorders and converters use these too.
  return hasVideoTrack(bytes) ? { other: 'MP4 video' } : 'm4a';
}

/** The codec of an Ogg stream, from the first packet of its first page. */
export function oggCodec(bytes: Uint8Array): 'vorbis' | 'opus' | 'flac' | 'speex' | 'theora' | undefined {
  if (ascii(bytes, 0, 4) !== 'OggS' || bytes.length < 27) return undefined;
  const packet = 27 + (bytes[26] ?? 0);
  if (ascii(bytes, packet, 7) === '\x01vorbis') return 'vorbis';
  if (ascii(bytes, packet, 8) === 'OpusHead') return 'opus';
  if (ascii(bytes, packet, 5) === '\x7fFLAC') return 'flac';
  if (ascii(bytes, packet, 8) === 'Speex   ') return 'speex';
  if (ascii(bytes, packet, 7) === '\x80theora') return 'theora';
  return undefined;
}

/** Plain text (UTF-8 or ASCII): no NUL and almost no control bytes in the first kilobyte. */
function textKind(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 1024);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return undefined;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > head.length * 0.02) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if ((text.match(/\uFFFD/g)?.length ?? 0) > head.length * 0.02) return undefined;
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 200)
    .toLowerCase();
  if (
    start.startsWith('<!doctype html') ||
    start.startsWith('<html') ||
    /<html[\s>]/.test(text.toLowerCase())
  ) {
    return 'web page (HTML)';
  }
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && text.includes('<svg'))) return 'SVG image';
  if (start.startsWith('<?xml')) return 'XML document';
  if (start.startsWith('{') || start.startsWith('[')) return 'JSON or text file';
  return 'text file';
}

/** Magic numbers of files people upload by mistake, checked before any audio format. */
const OTHER_SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; offset?: number; kind: OtherFileKind }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: { other: 'PNG image' } },
  { bytes: [0xff, 0xd8, 0xff], kind: { other: 'JPEG image' } },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: { other: 'GIF image' } },
  { bytes: [0x49, 0x49, 0x2a, 0x00], kind: { other: 'TIFF image' } },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], kind: { other: 'TIFF image' } },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: { other: 'PDF document' } },
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: { other: 'ZIP archive (or an Office document)' } },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: { other: 'ZIP archive' } },
  { bytes: [0x1f, 0x8b], kind: { other: 'compressed (gzip) file' } },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: { other: '7-Zip archive' } },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: { other: 'RAR archive' } },
  { bytes: [0x4d, 0x5a], kind: { other: 'Windows program' } },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: { other: 'Linux program' } },
  { bytes: [0x46, 0x4c, 0x56, 0x01], kind: { other: 'Flash video' } },
  { bytes: [0x4d, 0x54, 0x68, 0x64], kind: { other: 'MIDI file (notes, not a recording)' } },
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], kind: { other: 'WebM or Matroska file', audio: true } },
  {
    bytes: [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11],
    kind: { other: 'Windows Media (WMA/WMV) file', audio: true },
  },
  { bytes: [0x23, 0x21, 0x41, 0x4d, 0x52], kind: { other: 'AMR audio', audio: true } },
  { bytes: [0x63, 0x61, 0x66, 0x66], kind: { other: 'Core Audio (CAF) file', audio: true } },
];

/**
 * The file's format from its first bytes (never its name): one of the accepted audio formats, `{ other }` naming
 * what it is instead, or undefined for an empty or unrecognisable file.
 */
export function sniffAudioFormat(bytes: Uint8Array): SniffedFormat | undefined {
  if (bytes.length === 0) return undefined;
  const riff = ascii(bytes, 0, 4);
  if (riff === 'RIFF' || riff === 'RF64') {
    const type = ascii(bytes, 8, 4);
    if (type === 'WAVE') return 'wav';
    if (type === 'WEBP') return { other: 'WebP image' };
    if (type === 'AVI ') return { other: 'AVI video' };
    return { other: `RIFF file (${type.trim() || 'unknown type'})` };
  }
  if (ascii(bytes, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(bytes, 8, 4))) {
    return { other: 'AIFF audio', audio: true };
  }
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 0, 4) === 'OggS') {
    return oggCodec(bytes) === 'theora' ? { other: 'Ogg video (Theora)' } : 'ogg';
  }
  if (ascii(bytes, 4, 4) === 'ftyp') return sniffIsoMedia(bytes);
  if (ascii(bytes, 0, 2) === 'BM' && [12, 40, 52, 56, 108, 124].includes(uint32le(bytes, 14))) {
    return { other: 'BMP image' };
  }
  for (const signature of OTHER_SIGNATURES) {
    if (startsWith(bytes, signature.bytes, signature.offset)) return signature.kind;
  }

  const start = skipId3(bytes);
  if (ascii(bytes, start, 4) === 'fLaC') return 'flac';
  if (findMpegStart(bytes, start) !== undefined) return 'mp3';
  if (isAdts(bytes, start)) return { other: 'AAC audio (ADTS)', audio: true };
  // An ID3 tag marks an MP3 even when what follows is damaged: decoding will say so.
  if (start > 0 && ascii(bytes, 0, 3) === 'ID3') return 'mp3';

  const text = textKind(bytes);
  return text ? { other: text } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** Accumulates decoded blocks as their mono mix, up to a limit, in one growing buffer. */
class MonoMix {
  private buffer = new Float32Array(0);
  length = 0;
  full = false;

  constructor(private readonly maxSamples: number) {}

  add(channels: readonly Float32Array[], count: number): void {
    const take = Math.min(count, this.maxSamples - this.length);
    if (take < count) this.full = true;
    if (take <= 0 || channels.length === 0) return;
    if (this.length + take > this.buffer.length) {
      const grown = new Float32Array(
        Math.min(this.maxSamples, Math.max(this.length + take, this.buffer.length * 2)),
      );
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    const out = this.buffer.subarray(this.length, this.length + take);
    const [first, second] = channels;
    if (channels.length === 1 && first) {
      out.set(first.subarray(0, take));
    } else if (channels.length === 2 && first && second) {
      for (let i = 0; i < take; i++) out[i] = ((first[i] ?? 0) + (second[i] ?? 0)) * 0.5;
    } else {
      const scale = 1 / channels.length;
      for (const channel of channels) {
        for (let i = 0; i < take; i++) out[i] = (out[i] ?? 0) + (channel[i] ?? 0) * scale;
      }
    }
    this.length += take;
  }

  samples(): Float32Array {
    return this.buffer.subarray(0, this.length);
  }
}

function maxSamples(options: DecodeOptions, sampleRate: number): number {
  const seconds = options.maxSeconds;
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0
    ? Math.ceil(seconds * sampleRate)
    : Number.MAX_SAFE_INTEGER;
}

const FEED_BYTES = 256 * 1024;

/** The decoders' shared output shape (see @wasm-audio-decoders/common). */
interface DecodedBlock {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: Array<{ message: string }>;
}

function checkDecoded(format: string, sampleRate: number, channels: number, count: number): void {
  if (count === 0) throw new CorruptAudioError(`The ${format} file holds no audio that can be decoded`);
  if (!(sampleRate >= 1000 && sampleRate <= 768_000) || !(channels >= 1 && channels <= 255)) {
    throw new CorruptAudioError(
      `The ${format} decoder read nonsense (${sampleRate} Hz, ${channels} channels): the file is damaged`,
    );
  }
}

/** More decoding errors than this share of the stream means the file is damaged, not merely a glitch. */
const MAX_ERROR_SHARE = 0.05;

/** WAV format codes whose samples are stored as they are (wav.ts decodes the usual sizes of each). */
const WAV_PCM = 1;
const WAV_FLOAT = 3;

/**
 * Lossy decoders overshoot full scale a little (a few dB at most); samples this far beyond it do not come from
 * sound at all but from frames of garbage that merely look like audio frames.
 */
const MAX_DECODED_PEAK = 4;

function checkLevels(format: string, decoded: DecodedAudio): DecodedAudio {
  const { samples } = decoded;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i] ?? 0;
    if (!(Math.abs(value) <= MAX_DECODED_PEAK)) {
      throw new CorruptAudioError(
        `The ${format} file is damaged: it decodes to samples far beyond full scale (${value.toPrecision(3)})`,
      );
    }
  }
  return decoded;
}

function decodeWav(bytes: Uint8Array): DecodedAudio {
  let header;
  try {
    header = readWavHeader(bytes);
  } catch (error) {
    throw new CorruptAudioError(`The WAV file cannot be read: ${(error as Error).message}`, false, {
      cause: error,
    });
  }
  // The data chunk's declared size: 0 and 0xFFFFFFFF are streaming writers' "until the end of the file".
  const declared = uint32le(bytes, header.dataOffset - 4);
  const available = bytes.length - header.dataOffset;
  if (declared !== 0 && declared !== 0xffffffff && declared > available + 1) {
    throw new CorruptAudioError(
      `The WAV file is cut off: it declares ${declared} bytes of audio but holds ${available}`,
      true,
    );
  }
  let wav;
  try {
    wav = parseWav(bytes);
  } catch (error) {
    const message = (error as Error).message;
    // µ-law, ADPCM, MP3-in-WAV…: a recording all the same, whose metadata can still be read. Plain PCM or float at
    // a sample size no recorder writes (1-bit, 12-bit…) is not one of those: nothing could play it, so it is damaged.
    const plainSamples = header.audioFormat === WAV_PCM || header.audioFormat === WAV_FLOAT;
    if (message.startsWith('Unsupported WAV encoding') && !plainSamples) {
      throw new NoDecoderError('wav', message);
    }
    throw new CorruptAudioError(`The WAV file cannot be read: ${message}`, false, { cause: error });
  }
  checkDecoded('WAV', wav.sampleRate, wav.channels, wav.samples.length);
  const samples = new Float32Array(wav.samples.length);
  for (let i = 0; i < samples.length; i++) samples[i] = (wav.samples[i] ?? 0) / 32768;
  return { sampleRate: wav.sampleRate, channels: wav.channels, samples, complete: true };
}

/** Trailing tags an MP3 may end with, which are not frames. */
function isTrailingTag(bytes: Uint8Array, offset: number): boolean {
  return ['TAG', 'APETAGEX', 'ID3', '3DI', 'LYRICSBEGIN'].some(
    (tag) => ascii(bytes, offset, tag.length) === tag,
  );
}

/** Junk between frames or pages beyond this share of the file means it is damaged, not merely untidy. */
const MAX_JUNK_SHARE = 0.01;
const MAX_JUNK_BYTES = 4096;

function tooMuchJunk(junk: number, total: number): boolean {
  return junk > Math.max(MAX_JUNK_BYTES, total * MAX_JUNK_SHARE);
}

/**
 * Walks the MPEG frames: the first frame's layout, whether the last frame is cut short (a truncated file), and how
 * many bytes between frames are junk (damage), resynchronising on the next run of frames as decoders do.
 */
function inspectMpeg(bytes: Uint8Array): { first: MpegFrame; cutShort: boolean; junk: number } {
  const start = findMpegStart(bytes, skipId3(bytes));
  const first = start === undefined ? undefined : mpegFrame(bytes, start);
  if (start === undefined || !first) throw new CorruptAudioError('The MP3 file has no readable audio frames');
  let offset = start;
  let junk = 0;
  while (offset < bytes.length) {
    const frame = mpegFrame(bytes, offset);
    if (frame) {
      if (offset + frame.length > bytes.length) return { first, cutShort: true, junk };
      offset += frame.length;
      continue;
    }
    if (ascii(bytes, offset, 3) === 'ID3') {
      const tagEnd = offset + 10 + synchsafe(bytes, offset + 6);
      if (tagEnd >= bytes.length) break;
      offset = tagEnd;
      continue;
    }
    if (isTrailingTag(bytes, offset)) break;
    let next = offset + 1;
    while (next < bytes.length - 4 && !(bytes[next] === 0xff && isMpegRun(bytes, next, 3))) next++;
    if (next >= bytes.length - 4) next = bytes.length;
    junk += next - offset;
    offset = next;
  }
  return { first, cutShort: false, junk };
}

async function decodeMp3(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedAudio> {
  const { first, cutShort, junk } = inspectMpeg(bytes);
  if (cutShort) throw new CorruptAudioError('The MP3 file is cut off: its last frame is incomplete', true);
  if (tooMuchJunk(junk, bytes.length)) {
    throw new CorruptAudioError(
      `The MP3 file is damaged: ${junk} of its ${bytes.length} bytes are not audio frames`,
    );
  }
  const { MPEGDecoder } = await import('mpg123-decoder');
  return withDecoder(new MPEGDecoder(), async (decoder) => {
    const mix = new MonoMix(maxSamples(options, first.sampleRate));
    let errors = 0;
    let lastError = '';
    for (let offset = 0; offset < bytes.length && !mix.full; offset += FEED_BYTES) {
      const block: DecodedBlock = decoder.decode(bytes.subarray(offset, offset + FEED_BYTES));
      errors += block.errors.length;
      lastError = block.errors.at(-1)?.message ?? lastError;
      if (block.samplesDecoded > 0) checkRate('MP3', block.sampleRate, first.sampleRate);
      mix.add(block.channelData, block.samplesDecoded);
    }
    const frames = mix.length / first.samples;
    if (errors > Math.max(2, frames * MAX_ERROR_SHARE)) {
      throw new CorruptAudioError(
        `The MP3 file is damaged: ${errors} frames could not be decoded (${lastError})`,
      );
    }
    // mpg123 always answers in stereo; the frame header knows whether the file is mono.
    const channels = first.mono ? 1 : 2;
    checkDecoded('MP3', first.sampleRate, channels, mix.length);
    return { sampleRate: first.sampleRate, channels, samples: mix.samples(), complete: !mix.full };
  });
}

function checkRate(format: string, rate: number, expected: number): void {
  if (rate !== expected) {
    throw new CorruptAudioError(
      `The ${format} file changes sample rate mid-stream (${expected} → ${rate} Hz)`,
    );
  }
}

/** FLAC's STREAMINFO: the sample rate and total samples per channel (0 when the encoder did not know). */
function flacStreamInfo(bytes: Uint8Array, start: number): { sampleRate: number; totalSamples: number } {
  // 'fLaC', block header (4), min/max block size (2+2), min/max frame size (3+3), then 20+3+5+36 bits.
  const at = start + 18;
  if (at + 8 > bytes.length) throw new CorruptAudioError('The FLAC file is cut off inside its header', true);
  const sampleRate = ((bytes[at] ?? 0) << 12) | ((bytes[at + 1] ?? 0) << 4) | ((bytes[at + 2] ?? 0) >> 4);
  const totalSamples = ((bytes[at + 3] ?? 0) & 0x0f) * 2 ** 32 + uint32be(bytes, at + 4);
  return { sampleRate, totalSamples };
}

/** Samples a FLAC file may fall short of its STREAMINFO total by and still count as complete (one block). */
const FLAC_SHORTFALL_SAMPLES = 65_536;

async function decodeFlac(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedAudio> {
  const start = skipId3(bytes);
  const info = flacStreamInfo(bytes, start);
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoded = await decodeStream(
    'FLAC',
    new FLACDecoder(),
    bytes.subarray(start),
    options,
    info.sampleRate,
  );
  const perChannel = decoded.samples.length;
  if (decoded.complete && info.totalSamples > 0 && perChannel + FLAC_SHORTFALL_SAMPLES < info.totalSamples) {
    throw new CorruptAudioError(
      `The FLAC file is damaged or cut off: only ${perChannel} of its ${info.totalSamples} samples can be decoded`,
      true,
    );
  }
  return decoded;
}

interface StreamDecoder {
  ready: Promise<void>;
  free: () => void;
  decode: (data: Uint8Array) => Promise<DecodedBlock> | DecodedBlock;
  flush: () => Promise<DecodedBlock>;
}

/** Runs `use` on a ready decoder and frees its WebAssembly memory whatever happens. */
async function withDecoder<D extends { ready: Promise<void>; free: () => void }, T>(
  decoder: D,
  use: (decoder: D) => Promise<T>,
): Promise<T> {
  try {
    await decoder.ready;
    return await use(decoder);
  } finally {
    try {
      decoder.free();
    } catch {
      // Freeing after a failed start has nothing to free; the error that matters is the one already thrown.
    }
  }
}

/** Feeds a streaming decoder (FLAC, Vorbis, Opus) chunk by chunk, stopping early once `maxSeconds` are decoded. */
function decodeStream(
  format: string,
  decoder: StreamDecoder,
  bytes: Uint8Array,
  options: DecodeOptions,
  expectedRate?: number,
): Promise<DecodedAudio> {
  return withDecoder(decoder, async (ready) => {
    let mix: MonoMix | undefined;
    let sampleRate = 0;
    let channels = 0;
    let errors = 0;
    let lastError = '';
    const take = (block: DecodedBlock): void => {
      errors += block.errors.length;
      lastError = block.errors.at(-1)?.message ?? lastError;
      if (block.samplesDecoded === 0 || block.channelData.length === 0) return;
      if (!mix) {
        sampleRate = block.sampleRate;
        channels = block.channelData.length;
        checkDecoded(format, sampleRate, channels, block.samplesDecoded);
        mix = new MonoMix(maxSamples(options, sampleRate));
      }
      checkRate(format, block.sampleRate, sampleRate);
      mix.add(block.channelData, block.samplesDecoded);
    };
    for (let offset = 0; offset < bytes.length && !mix?.full; offset += FEED_BYTES) {
      take(await ready.decode(bytes.subarray(offset, offset + FEED_BYTES)));
    }
    if (!mix?.full) take(await ready.flush());
    if (!mix) throw new CorruptAudioError(`The ${format} file holds no audio that can be decoded`);
    if (errors > Math.max(2, (mix.length / sampleRate) * 50 * MAX_ERROR_SHARE)) {
      throw new CorruptAudioError(`The ${format} file is damaged: ${errors} decoding errors (${lastError})`);
    }
    if (expectedRate && sampleRate !== expectedRate) checkRate(format, sampleRate, expectedRate);
    return { sampleRate, channels, samples: mix.samples(), complete: !mix.full };
  });
}

/**
 * Walks the Ogg pages: a page that runs past the end of the file means the file was cut off; bytes between pages
 * (beyond a little trailing junk) mean it is damaged.
 */
function checkOggPages(bytes: Uint8Array): void {
  const cut = (): never => {
    throw new CorruptAudioError('The OGG file is cut off: its last page is incomplete', true);
  };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let junk = 0;
  while (offset < bytes.length) {
    const rest = bytes.length - offset;
    if (ascii(bytes, offset, Math.min(4, rest)) !== 'OggS'.slice(0, Math.min(4, rest))) {
      const next = buffer.indexOf('OggS', offset + 1);
      junk += (next < 0 ? bytes.length : next) - offset;
      if (next < 0) break;
      offset = next;
      continue;
    }
    if (rest < 27) cut();
    const segments = bytes[offset + 26] ?? 0;
    if (27 + segments > rest) cut();
    let body = 0;
    for (let i = 0; i < segments; i++) body += bytes[offset + 27 + i] ?? 0;
    if (27 + segments + body > rest) cut();
    offset += 27 + segments + body;
  }
  if (tooMuchJunk(junk, bytes.length)) {
    throw new CorruptAudioError(
      `The OGG file is damaged: ${junk} of its ${bytes.length} bytes are not Ogg pages`,
    );
  }
}

async function decodeOgg(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedAudio> {
  const codec = oggCodec(bytes);
  checkOggPages(bytes);
  switch (codec) {
    case 'vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      return decodeStream('OGG Vorbis', new OggVorbisDecoder(), bytes, options);
    }
    case 'opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      return decodeStream('OGG Opus', new OggOpusDecoder(), bytes, options);
    }
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      return decodeStream('OGG FLAC', new FLACDecoder(), bytes, options);
    }
    case undefined:
      throw new CorruptAudioError('The OGG file does not start with a Vorbis, Opus or FLAC header');
    default:
      throw new NoDecoderError(`ogg-${codec}`, `There is no decoder for ${codec} audio in OGG files`);
  }
}

/** Walks the top-level boxes of an MP4/M4A file: one that runs past the end means the file was cut off. */
function checkIsoBoxes(bytes: Uint8Array): void {
  let offset = 0;
  const found = new Set<string>();
  while (offset + 8 <= bytes.length) {
    let size = uint32be(bytes, offset);
    const type = ascii(bytes, offset + 4, 4);
    if (size === 1) size = uint32be(bytes, offset + 8) * 2 ** 32 + uint32be(bytes, offset + 12);
    if (size === 0) size = bytes.length - offset; // "to the end of the file"
    if (size < 8)
      throw new CorruptAudioError(`The M4A file is damaged: box "${type}" declares ${size} bytes`);
    if (offset + size > bytes.length) {
      throw new CorruptAudioError(
        `The M4A file is cut off: its "${type}" box needs ${size} bytes but ${bytes.length - offset} are left`,
        true,
      );
    }
    found.add(type);
    offset += size;
  }
  if (!found.has('moov'))
    throw new CorruptAudioError('The M4A file has no "moov" box: it is cut off or damaged', true);
}

/**
 * The channel count an M4A's AAC stream really has, from its AudioSpecificConfig (the `esds` box), which unlike
 * the sample entry (often 2 regardless) is reliable; undefined when it cannot be found.
 */
export function m4aChannels(bytes: Uint8Array): number | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const esds = buffer.indexOf('esds');
  if (esds < 0) return undefined;
  let offset = esds + 8; // 'esds', version and flags
  const end = Math.min(bytes.length, offset + 256);
  const descriptor = (): { tag: number; size: number } | undefined => {
    if (offset >= end) return undefined;
    const tag = bytes[offset++] ?? 0;
    let size = 0;
    for (let i = 0; i < 4 && offset < end; i++) {
      const byte = bytes[offset++] ?? 0;
      size = (size << 7) | (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    return { tag, size };
  };
  const es = descriptor();
  if (es?.tag !== 0x03) return undefined;
  // ES_ID (2), flags (1), then what the flags announce: a dependency (2), a URL (length-prefixed), an OCR ES_ID (2).
  const flags = bytes[offset + 2] ?? 0;
  offset += 3;
  if (flags & 0x80) offset += 2;
  if (flags & 0x40) offset += 1 + (bytes[offset] ?? 0);
  if (flags & 0x20) offset += 2;
  const config = descriptor();
  if (config?.tag !== 0x04) return undefined;
  offset += 13;
  const specific = descriptor();
  if (specific?.tag !== 0x05 || offset + 2 > end) return undefined;
  // audioObjectType (5 bits), samplingFrequencyIndex (4 bits, or 24 more bits when it is 15), channelConfiguration (4)
  const bits =
    ((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8);
  const frequencyIndex = (bits >>> 23) & 0x0f;
  if (frequencyIndex === 15) return undefined;
  const channels = (bits >>> 19) & 0x0f;
  return channels >= 1 && channels <= 7 ? (channels === 7 ? 8 : channels) : undefined;
}

/**
 * Decodes a whole file to its mono mix at its own sample rate. Throws `NoDecoderError` for M4A (and rare OGG
 * codecs) and `CorruptAudioError` for a damaged or cut-off file; each call makes and frees its own decoder.
 */
export async function decodeAudio(
  bytes: Uint8Array,
  format: SniffableAudioFormat,
  options: DecodeOptions = {},
): Promise<DecodedAudio> {
  try {
    switch (format) {
      case 'wav':
        return decodeWav(bytes);
      case 'mp3':
        return checkLevels('MP3', await decodeMp3(bytes, options));
      case 'flac':
        return checkLevels('FLAC', await decodeFlac(bytes, options));
      case 'ogg':
        return checkLevels('OGG', await decodeOgg(bytes, options));
      case 'm4a':
        checkIsoBoxes(bytes);
        throw new NoDecoderError('m4a', 'M4A (AAC) audio has no decoder here; only its metadata can be read');
    }
  } catch (error) {
    if (error instanceof NoDecoderError || error instanceof CorruptAudioError) throw error;
    // Anything else (a wasm trap, a parser's own error) is the file's fault as far as the caller is concerned.
    throw new CorruptAudioError(
      `The ${format.toUpperCase()} file cannot be decoded: ${(error as Error).message}`,
      false,
      {
        cause: error,
      },
    );
  }
}
