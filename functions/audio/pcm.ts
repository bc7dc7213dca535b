// Raw 16-bit samples: changing their rate, and moving them to and from little-endian bytes.

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkRate(rate: number, label: string): void {
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`Invalid ${label} sample rate: ${rate}`);
}

/**
 * Changes the sample rate by linear interpolation: good enough for speech, where the rates involved
 * (16–48 kHz) keep the voice band well below either Nyquist frequency.
 */
export function resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  checkRate(fromRate, 'source');
  checkRate(toRate, 'target');
  if (fromRate === toRate) return samples.slice();
  const length = Math.round((samples.length * toRate) / fromRate);
  const out = new Int16Array(length);
  const last = samples.length - 1;
  if (last < 0) return out;
  const step = fromRate / toRate;
  for (let i = 0; i < length; i++) {
    const position = i * step;
    const index = Math.min(Math.floor(position), last);
    const next = Math.min(index + 1, last);
    const fraction = position - index;
    const a = samples[index] ?? 0;
    const b = samples[next] ?? 0;
    out[i] = Math.round(a + (b - a) * fraction);
  }
  return out;
}

/** Samples as signed 16-bit little-endian bytes (the `pcm` format), in a buffer of their own. */
export function pcmToBytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST)
    return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength).slice();
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i] ?? 0, true);
  return bytes;
}

/**
 * Signed 16-bit little-endian bytes as samples. Shares the caller's memory when it can; copies when the bytes
 * start at an odd offset, which an Int16Array view cannot.
 */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) {
    throw new Error(`16-bit PCM needs an even number of bytes, got ${bytes.byteLength}`);
  }
  const count = bytes.byteLength / 2;
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Int16Array.from({ length: count }, (_, i) => view.getInt16(i * 2, true));
  }
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  return new Int16Array(bytes.slice().buffer);
}
