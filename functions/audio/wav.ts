// WAV files in and out: read any common PCM or float WAV into 16-bit mono samples, write canonical 16-bit mono WAV.

export interface WavHeader {
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  audioFormat: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  dataOffset: number;
  /** Whole frames only; a streaming writer's placeholder size is replaced by what the file really holds. */
  dataLength: number;
}

export interface ParsedWav {
  sampleRate: number;
  /** Channels in the file; `samples` is always mono. */
  channels: number;
  /** Sample size in the file; `samples` is always 16-bit. */
  bitsPerSample: number;
  samples: Int16Array;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const WAV_HEADER_BYTES = 44;

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

/** Walks the RIFF chunks to the format and the samples, without decoding them. */
export function readWavHeader(bytes: Uint8Array): WavHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12)
    throw new Error(`Not a WAV file: ${bytes.byteLength} bytes is shorter than a RIFF header`);
  const riff = fourCc(view, 0);
  // RF64 keeps its real sizes in a ds64 chunk and writes 0xFFFFFFFF in the data chunk, which is handled below.
  if ((riff !== 'RIFF' && riff !== 'RF64') || fourCc(view, 8) !== 'WAVE') {
    throw new Error('Not a WAV file: it does not start with RIFF…WAVE');
  }

  let format: Omit<WavHeader, 'dataOffset' | 'dataLength'> | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength)
        throw new Error(`WAV fmt chunk is too short (${size} bytes)`);
      let audioFormat = view.getUint16(body, true);
      if (audioFormat === EXTENSIBLE && size >= 26 && body + 26 <= bytes.byteLength) {
        audioFormat = view.getUint16(body + 24, true);
      }
      format = {
        audioFormat,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk comes before its fmt chunk');
      const rest = bytes.byteLength - body;
      // Streaming writers cannot know the length up front and leave 0 or 0xFFFFFFFF; the rest of the file is the data.
      const declared = size === 0 || size === 0xffffffff ? rest : Math.min(size, rest);
      const blockAlign = format.blockAlign || (format.channels * format.bitsPerSample) / 8;
      if (!Number.isInteger(blockAlign) || blockAlign < 1) {
        throw new Error(`WAV file declares an impossible frame size of ${blockAlign} bytes`);
      }
      return { ...format, blockAlign, dataOffset: body, dataLength: declared - (declared % blockAlign) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

function checkFormat(header: WavHeader): void {
  const { audioFormat, bitsPerSample, channels, sampleRate } = header;
  if (channels < 1) throw new Error('WAV file declares 0 channels');
  if (sampleRate < 1) throw new Error('WAV file declares a sample rate of 0');
  const supported =
    (audioFormat === PCM && [8, 16, 24, 32].includes(bitsPerSample)) ||
    (audioFormat === IEEE_FLOAT && [32, 64].includes(bitsPerSample));
  if (!supported) {
    const kind =
      audioFormat === PCM ? 'PCM' : audioFormat === IEEE_FLOAT ? 'float' : `format code ${audioFormat}`;
    throw new Error(
      `Unsupported WAV encoding: ${bitsPerSample}-bit ${kind} (expected 8/16/24/32-bit PCM or float)`,
    );
  }
  if (header.blockAlign !== (channels * bitsPerSample) / 8) {
    throw new Error(
      `WAV block align ${header.blockAlign} does not match ${channels} × ${bitsPerSample}-bit samples`,
    );
  }
}

/** One sample as a value in [-1, 1) scaled to 16 bits, whatever its size in the file. */
function sampleReader(header: WavHeader, view: DataView): (offset: number) => number {
  if (header.audioFormat === IEEE_FLOAT) {
    const read =
      header.bitsPerSample === 32
        ? (o: number) => view.getFloat32(o, true)
        : (o: number) => view.getFloat64(o, true);
    return (o) => Math.max(-1, Math.min(1, read(o) || 0)) * 32767;
  }
  switch (header.bitsPerSample) {
    case 8:
      return (o) => (view.getUint8(o) - 128) * 256;
    case 16:
      return (o) => view.getInt16(o, true);
    case 24:
      return (o) => view.getInt16(o + 1, true);
    default:
      return (o) => view.getInt32(o, true) / 65536;
  }
}

/** Reads a WAV file into 16-bit mono samples: other sample sizes are converted and channels are averaged. */
export function parseWav(bytes: Uint8Array): ParsedWav {
  const header = readWavHeader(bytes);
  checkFormat(header);
  const { channels, bitsPerSample, sampleRate, blockAlign, dataOffset, dataLength } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, dataLength);
  const frames = dataLength / blockAlign;
  const samples = new Int16Array(frames);
  const bytesPerSample = bitsPerSample / 8;

  if (header.audioFormat === PCM && bitsPerSample === 16 && channels === 1) {
    for (let i = 0; i < frames; i++) samples[i] = view.getInt16(i * 2, true);
    return { sampleRate, channels, bitsPerSample, samples };
  }

  const read = sampleReader(header, view);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) {
      sum += read(frame * blockAlign + channel * bytesPerSample);
    }
    samples[frame] = Math.max(-32768, Math.min(32767, Math.round(sum / channels)));
  }
  return { sampleRate, channels, bitsPerSample, samples };
}

/** A canonical 44-byte-header WAV file: mono, 16-bit PCM. */
export function encodeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 1)
    throw new Error(`Invalid WAV sample rate: ${sampleRate}`);
  const dataLength = samples.length * 2;
  const bytes = new Uint8Array(WAV_HEADER_BYTES + dataLength);
  const view = new DataView(bytes.buffer);
  const writeFourCc = (offset: number, text: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };

  writeFourCc(0, 'RIFF');
  view.setUint32(4, WAV_HEADER_BYTES - 8 + dataLength, true);
  writeFourCc(8, 'WAVE');
  writeFourCc(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  writeFourCc(36, 'data');
  view.setUint32(40, dataLength, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(WAV_HEADER_BYTES + i * 2, samples[i] ?? 0, true);
  return bytes;
}

/**
 * A WAV header for a stream whose length is not known yet: both sizes are 0xFFFFFFFF, the convention OpenAI's own
 * streamed WAV uses and readers accept ("the rest of the file is data"). Samples follow it as 16-bit mono pcm.
 */
export function streamingWavHeader(sampleRate: number): Uint8Array {
  const header = encodeWav(new Int16Array(0), sampleRate);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(40, 0xffffffff, true);
  return header;
}
