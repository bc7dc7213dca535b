// Checks one voice-cloning sample: can it be read, is it long enough, and is it clean speech at a usable level?
// Pure: bytes in, a report out, never an exception; the S3-triggered validator stores the report.
import { parseBuffer } from 'music-metadata';
import {
  CorruptAudioError,
  decodeAudio,
  m4aChannels,
  NoDecoderError,
  sniffAudioFormat,
  type DecodedAudio,
  type SniffableAudioFormat,
} from '../audio/decode.ts';

export interface SampleReason {
  /** Stable, machine-readable; `warning_…` codes do not reject the sample. */
  code: string;
  /** What is wrong, in plain words. */
  message: string;
  /** What the person can do about it. */
  tip: string;
}

export interface SampleQuality {
  /** RMS level of the parts with sound in them (the pauses are left out), dB relative to full scale. */
  loudness_dbfs: number;
  peak_dbfs: number;
  /** Share of samples stuck at full scale (in runs of at least two). */
  clipping_share: number;
  /** Level of the quietest 30 ms stretches: the room and the microphone's own noise. */
  noise_floor_dbfs: number;
  /** Loud stretches over the noise floor. */
  snr_db: number;
  /** Share of the recording that sounds like someone talking. */
  speech_share: number;
}

export interface SampleReport {
  verdict: 'valid' | 'rejected';
  format?: string;
  duration_seconds?: number;
  sample_rate?: number;
  channels?: number;
  size_bytes: number;
  quality?: SampleQuality;
  /** `metadata_only` when the format could not be decoded here (M4A): only its length and layout were checked. */
  analysis: 'full' | 'metadata_only';
  reasons: SampleReason[];
}

export interface AnalyseOptions {
  /** Largest accepted file; 10 MB by default. */
  maxBytes?: number;
}

/** Limits a sample must meet. */
export const SAMPLE_LIMITS = {
  /** Decimal megabytes, as people read file sizes: 10 MB = 10,000,000 bytes. */
  maxBytes: 10_000_000,
  /** Shorter than this teaches a voice model nothing. */
  minSeconds: 5,
  /** Only this much of a long compressed file is decoded and measured, which bounds memory (~115 MB at 48 kHz). */
  maxAnalysedSeconds: 600,
  /** Below this, speech loses its upper harmonics and sibilants (telephone quality is 8 kHz). */
  lowSampleRate: 16_000,
} as const;

/**
 * Quality thresholds, in the units the report uses. Levels are RMS dBFS of 30 ms frames (a full-scale sine is
 * −3 dBFS); conversational speech recorded well sits around −25 to −15 dBFS.
 */
export const QUALITY_THRESHOLDS = {
  /** Speech quieter than this (RMS of the parts with sound) is too far from the microphone or recorded too low. */
  tooQuietDbfs: -40,
  /** The loudest stretches (95th percentile of frames) below this: nothing was recorded. */
  silenceDbfs: -60,
  /** A sample at or above this magnitude is at full scale. */
  clipLevel: 0.999,
  /** Full-scale samples this many in a row are clipping; a single one is just a peak that touched the top. */
  clipRunSamples: 2,
  /** More of the samples clipped than this is audible distortion: rejected. */
  maxClippingShare: 0.01,
  /** More than this (but under the maximum) is worth a warning. */
  warnClippingShare: 0.001,
  /** Loud stretches less than this far above the noise floor: the voice does not stand out from the noise. */
  minSnrDb: 15,
  /** Less of the recording than this sounds like speech: noise, a tone, music, or silence. */
  minSpeechShare: 0.2,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/**
 * Speech detection, in three steps that each have a plain meaning:
 * 1. a 30 ms frame is *active* when it is louder than the noise floor by ACTIVE_MARGIN_DB;
 * 2. a frame is *voiced* when its spectrum has structure (harmonics) rather than hiss, and its zero-crossing rate
 *    is that of a voice rather than of noise;
 * 3. a one-second window *moves like speech* when its loudness rises and falls at syllable rate (2–8 Hz) by enough
 *    decibels, enough of it is voiced, and its spectrum keeps changing (a held tone or chord does not).
 * A frame counts as speech when it is active and lies in a window that moves like speech.
 */
const FRAME_SECONDS = 0.03;
/** Frames are clamped at this level, so digital silence (−∞ dB) has a number. */
const FLOOR_DBFS = -100;
/** The noise floor is this percentile of frame levels, the loud stretches this one. */
const NOISE_FLOOR_PERCENTILE = 0.1;
const LOUD_PERCENTILE = 0.95;
/** Active: this far above the noise floor, and never below the absolute minimum (dither in digital silence). */
const ACTIVE_MARGIN_DB = 6;
const MIN_ACTIVE_DBFS = -80;
/** The voice band looked at for flatness and spectral change. */
const BAND_LOW_HZ = 100;
const BAND_HIGH_HZ = 4000;
/**
 * Spectral flatness (geometric over arithmetic mean of the power spectrum): ~0.56 for white noise, near 0 for a
 * tone; voiced speech has harmonics and stays well under this.
 */
const VOICED_MAX_FLATNESS = 0.3;
/**
 * Zero crossings per second, counted on the signal low-passed at BAND_HIGH_HZ (so the count means the same at
 * every sample rate): voiced sounds, dominated by the fundamental and first formant, stay under this; hiss
 * (white noise low-passed at 4 kHz crosses ~4,600 times a second) and fricatives go above.
 */
const VOICED_MAX_ZCR = 3000;
const VOICED_MIN_ZCR = 40;
const WINDOW_SECONDS = 1;
const WINDOW_HOP_SECONDS = 0.5;
/** A window needs this share of active frames, and of voiced frames among them, to be considered. */
const WINDOW_MIN_ACTIVE_SHARE = 0.25;
const WINDOW_MIN_VOICED_SHARE = 0.3;
/** Syllable-rate modulation: the envelope's RMS in the 2–8 Hz band, in dB, must reach this. */
const SYLLABLE_LOW_HZ = 2;
const SYLLABLE_HIGH_HZ = 8;
const MIN_SYLLABLE_MODULATION_DB = 2;
/**
 * Spectral change: 1 − cosine similarity between a frame's voice-band spectrum and the one CHANGE_LAG_FRAMES
 * (90 ms) later, median over the window. Speech moves from sound to sound every ~80 ms; a held note does not.
 */
const CHANGE_LAG_FRAMES = 3;
const MIN_SPECTRAL_CHANGE = 0.2;

export interface AudioMeasures extends SampleQuality {
  /** Per-window figures, for explaining a verdict while tuning; not part of the report. */
  windows: Array<{
    start: number;
    active: number;
    voiced: number;
    modulation: number;
    change: number;
    speech: boolean;
  }>;
  /** Share of frames louder than the noise floor by ACTIVE_MARGIN_DB. */
  activeShare: number;
  /** 95th percentile of frame levels. */
  loudDbfs: number;
  /** Median spectral flatness of the frames that are not active: ~0.5 for hiss, low for hum or music. */
  backgroundFlatness: number;
}

/** An in-place radix-2 FFT over `re`/`im` (length a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] ?? 0, re[i] ?? 0];
      [im[i], im[j]] = [im[j] ?? 0, im[i] ?? 0];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    const stepRe = Math.cos(angle);
    const stepIm = Math.sin(angle);
    const half = size >> 1;
    for (let start = 0; start < n; start += size) {
      let wRe = 1;
      let wIm = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const bRe = re[b] ?? 0;
        const bIm = im[b] ?? 0;
        const tRe = bRe * wRe - bIm * wIm;
        const tIm = bRe * wIm + bIm * wRe;
        re[b] = (re[a] ?? 0) - tRe;
        im[b] = (im[a] ?? 0) - tIm;
        re[a] = (re[a] ?? 0) + tRe;
        im[a] = (im[a] ?? 0) + tIm;
        const next = wRe * stepRe - wIm * stepIm;
        wIm = wRe * stepIm + wIm * stepRe;
        wRe = next;
      }
    }
  }
}

function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return FLOOR_DBFS;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? FLOOR_DBFS;
}

function toDb(power: number): number {
  return Math.max(FLOOR_DBFS, 10 * Math.log10(power || 1e-30));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A 2nd-order Butterworth low-pass (RBJ biquad), applied once to the whole signal. */
function lowPass(samples: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  const out = new Float32Array(samples.length);
  const cutoff = Math.min(cutoffHz, sampleRate * 0.45);
  const w = (2 * Math.PI * cutoff) / sampleRate;
  const alpha = Math.sin(w) / Math.SQRT2;
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b0 = (1 - cos) / 2 / a0;
  const b1 = (1 - cos) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] ?? 0;
    const y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
    out[i] = y;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
  }
  return out;
}

/** Every measure the verdict uses, from the mono samples. */
export function measureAudio(samples: Float32Array, sampleRate: number): AudioMeasures {
  const frameLength = Math.max(1, Math.round(FRAME_SECONDS * sampleRate));
  const frameCount = Math.max(1, Math.floor(samples.length / frameLength));
  let fftSize = 1;
  while (fftSize < frameLength) fftSize <<= 1;
  const binHz = sampleRate / fftSize;
  const lowBin = Math.max(1, Math.round(BAND_LOW_HZ / binHz));
  const highBin = Math.max(lowBin + 1, Math.min(fftSize / 2 - 1, Math.round(BAND_HIGH_HZ / binHz)));
  const bandBins = highBin - lowBin + 1;
  const hann = Float64Array.from(
    { length: frameLength },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, frameLength - 1)),
  );

  const levels = new Float64Array(frameCount);
  const powers = new Float64Array(frameCount);
  const flatness = new Float64Array(frameCount);
  const zcr = new Float64Array(frameCount);
  /** Voice-band magnitudes of each frame, normalised to unit length (for cosine similarity). */
  const spectra = new Float32Array(frameCount * bandBins);
  const re = new Float64Array(fftSize);
  const im = new Float64Array(fftSize);
  const voiceBand = lowPass(samples, sampleRate, BAND_HIGH_HZ);

  // Sample-level figures: peak and clipping (runs of full-scale samples).
  let peak = 0;
  let clipped = 0;
  let run = 0;
  for (let i = 0; i <= samples.length; i++) {
    const magnitude = i < samples.length ? Math.abs(samples[i] ?? 0) : 0;
    if (magnitude > peak) peak = magnitude;
    if (magnitude >= QUALITY_THRESHOLDS.clipLevel) {
      run++;
    } else {
      if (run >= QUALITY_THRESHOLDS.clipRunSamples) clipped += run;
      run = 0;
    }
  }

  for (let f = 0; f < frameCount; f++) {
    const offset = f * frameLength;
    let mean = 0;
    let bandMean = 0;
    for (let i = 0; i < frameLength; i++) {
      mean += samples[offset + i] ?? 0;
      bandMean += voiceBand[offset + i] ?? 0;
    }
    mean /= frameLength;
    bandMean /= frameLength;
    let energy = 0;
    let crossings = 0;
    let previous = (voiceBand[offset] ?? 0) - bandMean;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < frameLength; i++) {
      const value = (samples[offset + i] ?? 0) - mean;
      energy += value * value;
      re[i] = value * (hann[i] ?? 0);
      const band = (voiceBand[offset + i] ?? 0) - bandMean;
      if (band >= 0 !== previous >= 0) crossings++;
      previous = band;
    }
    powers[f] = energy / frameLength;
    levels[f] = toDb(powers[f] ?? 0);
    zcr[f] = (crossings * sampleRate) / frameLength;

    fft(re, im);
    let logSum = 0;
    let sum = 0;
    let norm = 0;
    const base = f * bandBins;
    for (let k = lowBin; k <= highBin; k++) {
      const power = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2 + 1e-20;
      logSum += Math.log(power);
      sum += power;
      norm += power;
      spectra[base + k - lowBin] = Math.sqrt(power);
    }
    flatness[f] = Math.exp(logSum / bandBins) / (sum / bandBins);
    const scale = 1 / Math.sqrt(norm);
    for (let k = 0; k < bandBins; k++) spectra[base + k] = (spectra[base + k] ?? 0) * scale;
  }

  const sorted = levels.slice().sort();
  const noiseFloor = percentile(sorted, NOISE_FLOOR_PERCENTILE);
  const loud = percentile(sorted, LOUD_PERCENTILE);
  const activeLevel = Math.max(noiseFloor + ACTIVE_MARGIN_DB, MIN_ACTIVE_DBFS);
  const active = Uint8Array.from(levels, (level) => (level >= activeLevel ? 1 : 0));
  const voiced = Uint8Array.from(flatness, (value, f) =>
    active[f] &&
    value < VOICED_MAX_FLATNESS &&
    (zcr[f] ?? 0) < VOICED_MAX_ZCR &&
    (zcr[f] ?? 0) >= VOICED_MIN_ZCR
      ? 1
      : 0,
  );
  const change = new Float64Array(frameCount).fill(Number.NaN);
  for (let f = 0; f + CHANGE_LAG_FRAMES < frameCount; f++) {
    if (!active[f] || !active[f + CHANGE_LAG_FRAMES]) continue;
    let dot = 0;
    const a = f * bandBins;
    const b = (f + CHANGE_LAG_FRAMES) * bandBins;
    for (let k = 0; k < bandBins; k++) dot += (spectra[a + k] ?? 0) * (spectra[b + k] ?? 0);
    change[f] = 1 - dot;
  }

  // Windows: syllable-rate modulation of the envelope (levels clamped at the floor, so pauses count as dips and
  // not as −100 dB cliffs), voiced share, and median spectral change.
  const framesPerSecond = 1 / FRAME_SECONDS;
  const windowFrames = Math.max(4, Math.round(WINDOW_SECONDS * framesPerSecond));
  const hopFrames = Math.max(1, Math.round(WINDOW_HOP_SECONDS * framesPerSecond));
  const speechFrame = new Uint8Array(frameCount);
  const windows: AudioMeasures['windows'] = [];
  const envelope = new Float64Array(windowFrames);
  for (let start = 0; start === 0 || start + windowFrames <= frameCount; start += hopFrames) {
    const end = Math.min(frameCount, start + windowFrames);
    const length = end - start;
    let activeCount = 0;
    let voicedCount = 0;
    const changes: number[] = [];
    let envelopeMean = 0;
    for (let f = start; f < end; f++) {
      activeCount += active[f] ?? 0;
      voicedCount += voiced[f] ?? 0;
      const value = change[f] ?? Number.NaN;
      if (!Number.isNaN(value)) changes.push(value);
      envelope[f - start] = Math.max(levels[f] ?? FLOOR_DBFS, noiseFloor);
      envelopeMean += envelope[f - start] ?? 0;
    }
    envelopeMean /= length;
    // The envelope's energy between 2 and 8 Hz (a DFT of the window's level sequence, bin by bin).
    let modulationPower = 0;
    const windowSeconds = length * FRAME_SECONDS;
    for (let bin = 1; bin < length / 2; bin++) {
      const hz = bin / windowSeconds;
      if (hz < SYLLABLE_LOW_HZ || hz > SYLLABLE_HIGH_HZ) continue;
      let c = 0;
      let s = 0;
      for (let i = 0; i < length; i++) {
        const value = (envelope[i] ?? 0) - envelopeMean;
        c += value * Math.cos((2 * Math.PI * bin * i) / length);
        s += value * Math.sin((2 * Math.PI * bin * i) / length);
      }
      modulationPower += (2 * (c * c + s * s)) / (length * length);
    }
    const modulation = Math.sqrt(modulationPower);
    changes.sort((x, y) => x - y);
    const medianChange = changes.length ? (changes[Math.floor(changes.length / 2)] ?? 0) : 0;
    const isSpeech =
      activeCount >= WINDOW_MIN_ACTIVE_SHARE * length &&
      voicedCount >= WINDOW_MIN_VOICED_SHARE * activeCount &&
      modulation >= MIN_SYLLABLE_MODULATION_DB &&
      medianChange >= MIN_SPECTRAL_CHANGE;
    if (isSpeech) for (let f = start; f < end; f++) speechFrame[f] = active[f] ?? 0;
    windows.push({
      start: round(start * FRAME_SECONDS, 2),
      active: round(activeCount / length, 2),
      voiced: round(activeCount ? voicedCount / activeCount : 0, 2),
      modulation: round(modulation, 1),
      change: round(medianChange, 2),
      speech: isSpeech,
    });
    if (end === frameCount) break;
  }

  const background = flatness.filter((_, f) => !active[f]).sort();
  const backgroundFlatness = background.length ? (background[Math.floor(background.length / 2)] ?? 0) : 0;
  let activePower = 0;
  let activeCount = 0;
  let totalPower = 0;
  let speechCount = 0;
  for (let f = 0; f < frameCount; f++) {
    totalPower += powers[f] ?? 0;
    if (active[f]) {
      activePower += powers[f] ?? 0;
      activeCount++;
    }
    speechCount += speechFrame[f] ?? 0;
  }
  const loudness = activeCount ? toDb(activePower / activeCount) : toDb(totalPower / frameCount);
  return {
    loudness_dbfs: round(loudness, 1),
    peak_dbfs: round(peak > 0 ? Math.max(FLOOR_DBFS, 20 * Math.log10(peak)) : FLOOR_DBFS, 1),
    clipping_share: round(clipped / Math.max(1, samples.length), 5),
    noise_floor_dbfs: round(noiseFloor, 1),
    snr_db: round(loud - noiseFloor, 1),
    speech_share: round(speechCount / frameCount, 3),
    windows,
    activeShare: activeCount / frameCount,
    loudDbfs: loud,
    backgroundFlatness,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging

/** Background frames flatter than this are broadband noise (hiss, fans, traffic) rather than music or a hum. */
const NOISE_LIKE_FLATNESS = 0.3;
/** A recording where less than this share rises above the floor holds nothing but a steady sound. */
const MIN_ACTIVE_SHARE = 0.05;
/** Between the rejection threshold and this, background noise is worth a warning. */
const WARN_SNR_DB = 25;

const EXPORT_TIP = 'Export the recording as MP3, WAV or M4A (FLAC and OGG work too) and upload that file.';
const AGAIN_TIP =
  'Upload the file again; if it still fails, export or save it again from the app you recorded with.';
const QUIET_ROOM_TIP =
  'Record in a quiet room: close the windows, turn off fans, air conditioning and music, and keep the microphone close to your mouth.';

function reason(code: string, message: string, tip: string): SampleReason {
  return { code, message, tip };
}

/** Decimal megabytes, with enough digits that a file over the limit never reads as the limit itself. */
function megabytes(bytes: number, limit: number): string {
  let digits = 1;
  while (digits < 3 && round(bytes / 1e6, digits) <= round(limit / 1e6, digits) && bytes > limit) digits++;
  return `${round(bytes / 1e6, digits).toFixed(digits)} MB`;
}

function limitText(limit: number): string {
  const mb = limit / 1e6;
  return `${Number.isInteger(mb) ? mb : round(mb, 2)} MB`;
}

/** "a PNG image", "an MP4 video": the article a reader would say. */
function withArticle(name: string): string {
  const spelledWithVowelSound = /^(AVI|AIFF|AAC|AMR|MP4|HEIC|HEIF|RIFF|SVG|XML|Ogg|7)/;
  return `${spelledWithVowelSound.test(name) || /^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function seconds(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} seconds`;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value < 1 ? value.toFixed(2) : value.toFixed(1)}%`;
}

/** The metadata music-metadata reads from the container (duration, sample rate, channels), or undefined. */
async function readMetadata(
  bytes: Uint8Array,
  format: SniffableAudioFormat,
): Promise<{ duration?: number; sampleRate?: number; channels?: number } | undefined> {
  const mimeType = {
    wav: 'audio/wav',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
  }[format];
  try {
    const { format: info } = await parseBuffer(bytes, { mimeType, size: bytes.length }, { duration: true });
    return { duration: info.duration, sampleRate: info.sampleRate, channels: info.numberOfChannels };
  } catch {
    return undefined;
  }
}

function layoutWarnings(sampleRate: number | undefined, channels: number | undefined): SampleReason[] {
  const warnings: SampleReason[] = [];
  if (sampleRate !== undefined && sampleRate < SAMPLE_LIMITS.lowSampleRate) {
    warnings.push(
      reason(
        'warning_low_sample_rate',
        `This recording was made at ${round(sampleRate / 1000, 2)} kHz, close to telephone quality, so the cloned voice may sound muffled.`,
        'If your recording app lets you choose, record at 44.1 kHz or 48 kHz.',
      ),
    );
  }
  if (channels !== undefined && channels > 1) {
    warnings.push(
      reason(
        'warning_stereo',
        `This recording has ${channels} channels; we mix them into one, which is fine for a single voice.`,
        'Nothing to change if it sounds right. Mono recordings work just as well and are half the size.',
      ),
    );
  }
  return warnings;
}

function tooShort(duration: number): SampleReason {
  return reason(
    'too_short',
    `This recording is ${seconds(duration)} long; each sample needs at least ${SAMPLE_LIMITS.minSeconds} seconds.`,
    'Record at least 30 seconds of natural talking per file, for example by reading a page of a book aloud.',
  );
}

/** The verdict's reasons from the measures: rejections first (most fundamental first), then warnings. */
function qualityReasons(measures: AudioMeasures): SampleReason[] {
  const t = QUALITY_THRESHOLDS;
  const reasons: SampleReason[] = [];
  const hasSpeech = measures.speech_share >= t.minSpeechShare;
  const snr = Math.round(measures.snr_db);
  const noisy = reason(
    'noisy',
    `There is too much background noise: the voice is only ${snr} dB louder than the noise around it (it should be at least ${t.minSnrDb} dB).`,
    QUIET_ROOM_TIP,
  );

  if (!hasSpeech && measures.loudDbfs < t.silenceDbfs) {
    return [
      reason(
        'silence',
        'This recording is silent: we could not hear anything in it.',
        'Check that the right microphone is selected and not muted (the level meter should move when you talk), then record again.',
      ),
    ];
  }
  if (!hasSpeech) {
    // Something rises above a hiss but is not recognisable as speech: the noise is what is in the way.
    const drownedVoice =
      measures.activeShare >= MIN_ACTIVE_SHARE &&
      measures.snr_db < t.minSnrDb &&
      measures.backgroundFlatness >= NOISE_LIKE_FLATNESS;
    reasons.push(
      drownedVoice
        ? noisy
        : reason(
            'no_speech',
            measures.speech_share > 0
              ? `We could hear someone talking in only ${percent(measures.speech_share)} of this recording; the rest sounds like noise, a steady tone or music.`
              : 'We could not hear anyone talking in this recording: it sounds like noise, a steady tone or music.',
            'Upload a recording of one person talking in their normal voice, with no music or sound effects; reading a passage aloud works well.',
          ),
    );
  } else if (measures.snr_db < t.minSnrDb) {
    reasons.push(noisy);
  }

  if (hasSpeech && measures.loudness_dbfs < t.tooQuietDbfs) {
    reasons.push(
      reason(
        'too_quiet',
        `The voice is very quiet (${Math.round(measures.loudness_dbfs)} dBFS; it should be louder than ${t.tooQuietDbfs} dBFS).`,
        "Move closer to the microphone (about a hand's width away) or turn up the input volume, then record again.",
      ),
    );
  }
  if (measures.clipping_share > t.maxClippingShare) {
    reasons.push(
      reason(
        'clipping',
        `The recording is distorted: ${percent(measures.clipping_share)} of it is louder than the microphone could capture (clipping).`,
        'Lower the input gain or move a little further from the microphone, so that your loudest words stay below the top of the level meter.',
      ),
    );
  }

  if (hasSpeech && measures.snr_db >= t.minSnrDb && measures.snr_db < WARN_SNR_DB) {
    reasons.push(
      reason(
        'warning_background_noise',
        `There is some background noise (the voice is ${snr} dB louder than it); a quieter recording will clone better.`,
        QUIET_ROOM_TIP,
      ),
    );
  }
  if (measures.clipping_share > t.warnClippingShare && measures.clipping_share <= t.maxClippingShare) {
    reasons.push(
      reason(
        'warning_clipping',
        `A few loud moments are distorted (${percent(measures.clipping_share)} of the recording is clipped).`,
        'Lower the input gain a little for your next recordings.',
      ),
    );
  }
  return reasons;
}

function report(base: Omit<SampleReport, 'verdict'>): SampleReport {
  const rejected = base.reasons.some((item) => !item.code.startsWith('warning_'));
  return { verdict: rejected ? 'rejected' : 'valid', ...base };
}

function corruptReason(format: string, error: unknown): SampleReason {
  const name = format.toUpperCase();
  const truncated = error instanceof CorruptAudioError && error.truncated;
  return reason(
    'corrupt_file',
    truncated
      ? `This ${name} file is cut off part-way through, so it cannot be played (the upload may have been interrupted).`
      : `This ${name} file is damaged and cannot be played.`,
    AGAIN_TIP,
  );
}

async function analyse(bytes: Uint8Array, options: AnalyseOptions): Promise<SampleReport> {
  const size_bytes = bytes.length;
  const maxBytes = options.maxBytes ?? SAMPLE_LIMITS.maxBytes;
  if (size_bytes === 0) {
    return report({
      size_bytes,
      analysis: 'metadata_only',
      reasons: [
        reason('empty_file', 'This file is empty (0 bytes): there is no recording in it.', AGAIN_TIP),
      ],
    });
  }

  const sniffed = sniffAudioFormat(bytes);
  const format = typeof sniffed === 'string' ? sniffed : sniffed?.other;
  if (size_bytes > maxBytes) {
    return report({
      size_bytes,
      format,
      analysis: 'metadata_only',
      reasons: [
        reason(
          'too_large',
          `This file is ${megabytes(size_bytes, maxBytes)}; the limit is ${limitText(maxBytes)}.`,
          'Split the recording into shorter files (a few minutes each), or export it as MP3, which takes about 1 MB a minute.',
        ),
      ],
    });
  }
  if (sniffed === undefined) {
    return report({
      size_bytes,
      analysis: 'metadata_only',
      reasons: [
        reason(
          'unsupported_format',
          'We could not recognise this file as a recording: it is not WAV, MP3, M4A, FLAC or OGG audio.',
          EXPORT_TIP,
        ),
      ],
    });
  }
  if (typeof sniffed !== 'string') {
    return report({
      size_bytes,
      format,
      analysis: 'metadata_only',
      reasons: [
        sniffed.audio
          ? reason(
              'unsupported_format',
              `This file is in a format we do not accept (${sniffed.other}).`,
              EXPORT_TIP,
            )
          : reason('not_audio', `This file is ${withArticle(sniffed.other)}, not a recording.`, EXPORT_TIP),
      ],
    });
  }

  let decoded: DecodedAudio;
  try {
    decoded = await decodeAudio(bytes, sniffed, { maxSeconds: SAMPLE_LIMITS.maxAnalysedSeconds });
  } catch (error) {
    if (!(error instanceof NoDecoderError)) {
      return report({ size_bytes, format, analysis: 'full', reasons: [corruptReason(sniffed, error)] });
    }
    return metadataOnly(bytes, sniffed);
  }

  let duration = decoded.samples.length / decoded.sampleRate;
  const reasons: SampleReason[] = [];
  if (!decoded.complete) {
    duration = (await readMetadata(bytes, sniffed))?.duration ?? duration;
    reasons.push(
      reason(
        'warning_partly_checked',
        `Only the first ${SAMPLE_LIMITS.maxAnalysedSeconds / 60} minutes of this recording were checked.`,
        'Shorter files (a few minutes each) are checked completely.',
      ),
    );
  }
  const measures = measureAudio(decoded.samples, decoded.sampleRate);
  const {
    windows: _windows,
    activeShare: _active,
    loudDbfs: _loud,
    backgroundFlatness: _flat,
    ...quality
  } = measures;
  if (duration < SAMPLE_LIMITS.minSeconds) reasons.unshift(tooShort(duration));
  reasons.push(...qualityReasons(measures), ...layoutWarnings(decoded.sampleRate, decoded.channels));
  return report({
    size_bytes,
    format,
    duration_seconds: round(duration, 2),
    sample_rate: decoded.sampleRate,
    channels: decoded.channels,
    quality,
    analysis: 'full',
    reasons: sortReasons(reasons),
  });
}

/** Rejections before warnings, each group in the order they were found. */
function sortReasons(reasons: SampleReason[]): SampleReason[] {
  const isWarning = (item: SampleReason): boolean => item.code.startsWith('warning_');
  return [...reasons.filter((item) => !isWarning(item)), ...reasons.filter(isWarning)];
}

/** Formats without a decoder here (M4A): the container's own account of length and layout is all there is. */
async function metadataOnly(bytes: Uint8Array, format: SniffableAudioFormat): Promise<SampleReport> {
  const size_bytes = bytes.length;
  const metadata = await readMetadata(bytes, format);
  if (metadata?.duration === undefined || !(metadata.duration > 0)) {
    return report({
      size_bytes,
      format,
      analysis: 'metadata_only',
      reasons: [corruptReason(format, undefined)],
    });
  }
  // music-metadata reports 2 channels for mono M4A; the AAC configuration says what the stream really holds.
  const channels = (format === 'm4a' ? m4aChannels(bytes) : undefined) ?? metadata.channels;
  const reasons: SampleReason[] = [];
  if (metadata.duration < SAMPLE_LIMITS.minSeconds) reasons.push(tooShort(metadata.duration));
  reasons.push(
    reason(
      'warning_not_listened',
      `We could read this ${format.toUpperCase()} file's length and format but not listen to it, so its sound quality (noise, loudness, speech) was not checked.`,
      'For a full check, upload the recording as WAV, MP3 or FLAC.',
    ),
    ...layoutWarnings(metadata.sampleRate, channels),
  );
  return report({
    size_bytes,
    format,
    duration_seconds: round(metadata.duration, 2),
    sample_rate: metadata.sampleRate,
    channels,
    analysis: 'metadata_only',
    reasons: sortReasons(reasons),
  });
}

/**
 * The quality report for one uploaded voice sample. Never throws: a file that cannot be read, or any failure
 * while reading it, becomes a rejected report whose reasons say what to do.
 *
 * Primary course:
 * 1. refuse empty and oversized files, and anything whose bytes are not one of the accepted audio formats;
 * 2. decode to mono samples (M4A: read its metadata only);
 * 3. refuse recordings shorter than 5 seconds;
 * 4. measure loudness, peaks, clipping, noise floor, signal-to-noise ratio and the share that is speech, and
 *    refuse silence, recordings without speech, and noisy, too quiet or distorted ones.
 */
export async function analyseSample(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<SampleReport> {
  try {
    return await analyse(bytes, options);
  } catch {
    return report({
      size_bytes: bytes.length,
      analysis: 'full',
      reasons: [
        // The error's own text is for developers, not for the person who uploaded the file.
        reason('corrupt_file', 'This file could not be read.', AGAIN_TIP),
      ],
    });
  }
}
