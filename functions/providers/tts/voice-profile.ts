// Voice profiles: a speaker's pitch and pace measured from samples and mapped to the nearest eSpeak NG voice,
// pitch and rate. Not a clone — formant synthesis cannot take on a timbre — but the likeness the local stack can
// honestly offer. Pure functions: no I/O, no eSpeak.
import { ESPEAK_LANGUAGES, ESPEAK_PITCH, ESPEAK_WPM, isEspeakLanguage } from './espeak-voices.ts';

export interface VoiceMeasures {
  /** Median fundamental frequency (F0) over voiced frames, in Hz; 0 when nothing is voiced. */
  median_pitch_hz: number;
  /** Spread of F0 between its 10th and 90th percentile, in semitones. */
  pitch_range_semitones: number;
  /** Syllable nuclei per minute of speech (pauses beyond a short one not counted), as English words. */
  words_per_minute: number;
  /** Share of the audio, 0–1, in frames of clearly periodic (voiced) speech. */
  voiced_share: number;
}

export const PROFILE_VARIANTS = [
  'm1',
  'm2',
  'm3',
  'm4',
  'm5',
  'm6',
  'm7',
  'f1',
  'f2',
  'f3',
  'f4',
  'f5',
] as const;
export type ProfileVariant = (typeof PROFILE_VARIANTS)[number];

export interface VoiceProfile {
  /** eSpeak language voice, e.g. `en-us`. */
  base: string;
  variant: ProfileVariant;
  /** eSpeak pitch, 0–99. */
  pitch: number;
  /** eSpeak rate, words per minute, 80–450. */
  wpm: number;
}

/** Pitch is searched for between these frequencies: from a deep male voice to a high female or child's one. */
const PITCH_HZ = { min: 60, max: 400 } as const;
/** Audio is low-passed and decimated to about this rate first: the F0 and the first formants stay well inside it. */
const ANALYSIS_RATE = 8000;
const MIN_SAMPLE_RATE = 4000;
/** Energy and zero crossings are counted in blocks of this length; pitch is estimated every PITCH_HOP_BLOCKS. */
const BLOCK_SECONDS = 0.01;
const PITCH_HOP_BLOCKS = 2;
/** At most this many frames (two minutes of voiced speech) are searched for their F0. */
const MAX_PITCH_FRAMES = 6000;
/** YIN's integration window: longer than the longest period searched (1/60 s). */
const YIN_WINDOW_SECONDS = 0.025;
/** YIN's absolute threshold on the normalised difference, and the level above which a frame is not periodic. */
const YIN_THRESHOLD = 0.15;
const MAX_APERIODICITY = 0.35;
/** Blocks this far below the loud level (its 95th percentile) are silence; nothing quieter than -60 dBFS is speech. */
const SPEECH_GATE_DB = 25;
const MIN_SPEECH_RMS = 1e-3;
/** Voiced speech crosses zero at about its first formant's rate; fricatives and hiss cross far more often. */
const MAX_VOICED_CROSSINGS_PER_SECOND = 3000;
/** The energy envelope is smoothed over this many blocks before its peaks (syllable nuclei) are picked. */
const ENVELOPE_SMOOTHING_BLOCKS = 5;
/** Two peaks are separate syllables when the envelope dips at least this much between them. */
const SYLLABLE_DIP_DB = 2;
/** A pause counts towards the speaking time up to this long: a breath is pace, a gap between takes is not. */
const MAX_COUNTED_PAUSE_SECONDS = 0.3;
/** Syllables in an average English word, to turn syllables per minute into words per minute. */
export const SYLLABLES_PER_WORD = 1.5;

/** Voices with a median F0 above this sound female; it lies between typical male (~120) and female (~210) F0. */
export const FEMALE_ABOVE_HZ = 165;

/**
 * eSpeak calibrated by this module's own measurements (English text, variants m3 and f3), so that a profile speaks
 * at the pitch and pace that were measured. First the median F0 of each variant at the default pitch (-p 50):
 */
const VARIANT_BASELINE_HZ = { m3: 105, f3: 214 } as const satisfies Partial<Record<ProfileVariant, number>>;
/** eSpeak pitch (-p) → median F0 relative to -p 50; not a constant number of steps per octave, so interpolated. */
const ESPEAK_PITCH_RATIO: ReadonlyArray<readonly [pitch: number, ratio: number]> = [
  [0, 0.691],
  [25, 0.82],
  [50, 1],
  [75, 1.267],
  [99, 1.625],
];
/**
 * Measured words per minute → the eSpeak rate (-s) that produced them, averaged over three passages of everyday
 * English in three variants: eSpeak's pauses make it measure above its rate when slow, and it falls behind when fast.
 */
const MEASURED_TO_ESPEAK_WPM: ReadonlyArray<readonly [measured: number, wpm: number]> = [
  [99, 80],
  [130, 120],
  [176, 175],
  [226, 250],
  [292, 350],
  [336, 450],
];

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** The analysis band: the F0 and the first two formants, whatever the rate the audio came at. */
const LOW_PASS_HZ = 3400;
/** Butterworth 4th order as two biquads: the Q of each section. */
const BUTTERWORTH_Q = [0.5412, 1.3066] as const;

/** RBJ cookbook low-pass coefficients, normalised by a0: [b0, b1, b2, a1, a2]. */
function lowPass(cutoff: number, sampleRate: number, q: number): [number, number, number, number, number] {
  const w0 = (2 * Math.PI * cutoff) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  return [(1 - cos) / 2 / a0, (1 - cos) / a0, (1 - cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
}

/**
 * Low-pass filtered to the analysis band (4th-order Butterworth, both sections in one pass) and decimated by a
 * whole factor to about ANALYSIS_RATE (by 1 when the audio is already at about that rate or below).
 */
function decimate(samples: Float32Array, sampleRate: number): { signal: Float32Array; rate: number } {
  const factor = Math.max(1, Math.floor(sampleRate / ANALYSIS_RATE));
  const rate = sampleRate / factor;
  const cutoff = Math.min(LOW_PASS_HZ, 0.42 * rate);
  const [b0, b1, b2, a1, a2] = lowPass(cutoff, sampleRate, BUTTERWORTH_Q[0]);
  const [c0, c1, c2, d1, d2] = lowPass(cutoff, sampleRate, BUTTERWORTH_Q[1]);
  const decimated = new Float32Array(Math.floor(samples.length / factor));
  // Transposed direct form II: two state variables per section.
  let s1 = 0;
  let s2 = 0;
  let t1 = 0;
  let t2 = 0;
  let phase = 0;
  let written = 0;
  for (const x of samples) {
    const y = b0 * x + s1;
    s1 = b1 * x - a1 * y + s2;
    s2 = b2 * x - a2 * y;
    const z = c0 * y + t1;
    t1 = c1 * y - d1 * z + t2;
    t2 = c2 * y - d2 * z;
    if (phase === 0 && written < decimated.length) decimated[written++] = z;
    phase = phase + 1 === factor ? 0 : phase + 1;
  }
  return { signal: decimated, rate };
}

function percentile(values: ArrayLike<number>, share: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

/**
 * The lag (in samples, with a fractional part) of the period starting at `start`, by YIN (de Cheveigné & Kawahara
 * 2002), or undefined when the frame is not periodic enough. `diff` is scratch space of at least maxLag + 2.
 */
function yinLag(
  x: Float32Array,
  start: number,
  window: number,
  minLag: number,
  maxLag: number,
  diff: Float64Array,
): number | undefined {
  // Difference function, turned in place into the cumulative mean normalised difference.
  let running = 0;
  diff[0] = 1;
  for (let lag = 1; lag <= maxLag + 1; lag++) {
    let sum = 0;
    for (let j = start; j < start + window; j++) {
      const delta = (x[j] ?? 0) - (x[j + lag] ?? 0);
      sum += delta * delta;
    }
    running += sum;
    diff[lag] = running > 0 ? (sum * lag) / running : 1;
  }
  let best: number | undefined;
  for (let lag = minLag; lag <= maxLag; lag++) {
    if ((diff[lag] ?? 1) < YIN_THRESHOLD) {
      best = lag;
      while (best < maxLag && (diff[best + 1] ?? 1) < (diff[best] ?? 1)) best++;
      break;
    }
  }
  if (best === undefined) {
    best = minLag;
    for (let lag = minLag + 1; lag <= maxLag; lag++) if ((diff[lag] ?? 1) < (diff[best] ?? 1)) best = lag;
    if ((diff[best] ?? 1) > MAX_APERIODICITY) return undefined;
  }
  const before = diff[best - 1] ?? 1;
  const at = diff[best] ?? 1;
  const after = diff[best + 1] ?? 1;
  const curvature = before - 2 * at + after;
  const shift = curvature > 0 ? Math.max(-1, Math.min(1, (before - after) / (2 * curvature))) : 0;
  return best + shift;
}

/** Counts syllable nuclei: voiced peaks of the envelope (dB) separated from their neighbours by a dip. */
function countSyllables(envelopeDb: Float64Array, voiced: Uint8Array): number {
  let count = 0;
  let candidate: number | undefined;
  let valley = Infinity;
  for (let i = 1; i < envelopeDb.length - 1; i++) {
    const level = envelopeDb[i] ?? -Infinity;
    valley = Math.min(valley, level);
    const isPeak = level > (envelopeDb[i - 1] ?? 0) && level >= (envelopeDb[i + 1] ?? 0) && voiced[i] === 1;
    if (!isPeak) continue;
    if (candidate === undefined) {
      candidate = i;
      valley = Infinity;
      continue;
    }
    const held = envelopeDb[candidate] ?? -Infinity;
    if (held - valley >= SYLLABLE_DIP_DB && level - valley >= SYLLABLE_DIP_DB) {
      count++;
      candidate = i;
      valley = Infinity;
    } else if (level > held) {
      candidate = i;
      valley = Infinity;
    }
  }
  return candidate === undefined ? count : count + 1;
}

/**
 * A speaker's pitch and pace, from mono samples in [-1, 1]:
 * 1. low-pass and decimate to about 8 kHz;
 * 2. per 10 ms block, the energy and the zero-crossing rate; blocks loud enough and not noise-like are candidates;
 * 3. every 20 ms, F0 by YIN (60–400 Hz) on candidate frames; the periodic ones give the median and range of F0;
 * 4. syllable nuclei as the voiced peaks of the smoothed energy envelope, over the speaking time, give the pace.
 * Ten minutes of 24 kHz audio take well under two seconds.
 */
export function measureVoice(samples: Float32Array, sampleRate: number): VoiceMeasures {
  if (!Number.isFinite(sampleRate) || sampleRate < MIN_SAMPLE_RATE) {
    throw new RangeError(`Cannot measure a voice at a sample rate of ${sampleRate} Hz`);
  }
  const { signal, rate } = decimate(samples, sampleRate);
  const blockLength = Math.max(1, Math.round(BLOCK_SECONDS * rate));
  const blocks = Math.floor(signal.length / blockLength);

  // 2. Energy and zero crossings per block.
  const meanSquare = new Float64Array(blocks);
  const crossings = new Float64Array(blocks);
  for (let block = 0; block < blocks; block++) {
    let energy = 0;
    let crossed = 0;
    let previous = signal[block * blockLength] ?? 0;
    for (let i = block * blockLength; i < (block + 1) * blockLength; i++) {
      const value = signal[i] ?? 0;
      energy += value * value;
      if (value >= 0 !== previous >= 0) crossed++;
      previous = value;
    }
    meanSquare[block] = energy / blockLength;
    crossings[block] = (crossed * rate) / blockLength;
  }
  const loud = Math.sqrt(percentile(meanSquare, 0.95));
  const gate = Math.max(MIN_SPEECH_RMS, loud * 10 ** (-SPEECH_GATE_DB / 20));
  const speech = new Uint8Array(blocks);
  const voicedCandidate = new Uint8Array(blocks);
  for (let block = 0; block < blocks; block++) {
    if (Math.sqrt(meanSquare[block] ?? 0) < gate) continue;
    speech[block] = 1;
    if ((crossings[block] ?? Infinity) < MAX_VOICED_CROSSINGS_PER_SECOND) voicedCandidate[block] = 1;
  }

  // 3. F0 on candidate frames; on long audio an even spread of MAX_PITCH_FRAMES of them, which is plenty for a median.
  const minLag = Math.floor(rate / PITCH_HZ.max);
  const maxLag = Math.ceil(rate / PITCH_HZ.min);
  const window = Math.round(YIN_WINDOW_SECONDS * rate);
  const candidates: number[] = [];
  let frames = 0;
  for (let block = 0; block + 1 < blocks; block += PITCH_HOP_BLOCKS) {
    frames++;
    const start = block * blockLength;
    if (voicedCandidate[block] !== 1 || voicedCandidate[block + 1] !== 1) continue;
    if (start + window + maxLag + 1 < signal.length) candidates.push(start);
  }
  const stride = Math.max(1, candidates.length / MAX_PITCH_FRAMES);
  const diff = new Float64Array(maxLag + 2);
  const pitches: number[] = [];
  let analysed = 0;
  for (let position = 0; position < candidates.length; position += stride) {
    analysed++;
    const lag = yinLag(signal, candidates[Math.floor(position)] ?? 0, window, minLag, maxLag, diff);
    const hz = lag === undefined ? 0 : rate / lag;
    if (hz >= PITCH_HZ.min && hz <= PITCH_HZ.max) pitches.push(hz);
  }
  const voicedShare = analysed > 0 ? (pitches.length / analysed) * (candidates.length / frames) : 0;
  const median = percentile(pitches, 0.5);
  const range = pitches.length > 0 ? 12 * Math.log2(percentile(pitches, 0.9) / percentile(pitches, 0.1)) : 0;

  // 4. Pace: syllable nuclei over the speaking time.
  const half = Math.floor(ENVELOPE_SMOOTHING_BLOCKS / 2);
  const envelopeDb = new Float64Array(blocks);
  let windowSum = 0;
  for (let i = 0; i < Math.min(blocks, half); i++) windowSum += meanSquare[i] ?? 0;
  for (let block = 0; block < blocks; block++) {
    windowSum += (meanSquare[block + half] ?? 0) - (meanSquare[block - half - 1] ?? 0);
    envelopeDb[block] = 10 * Math.log10(Math.max(windowSum, 0) / ENVELOPE_SMOOTHING_BLOCKS + 1e-12);
  }
  const syllables = countSyllables(envelopeDb, voicedCandidate);

  const maxPauseBlocks = Math.round(MAX_COUNTED_PAUSE_SECONDS / BLOCK_SECONDS);
  let speakingBlocks = 0;
  let pause = 0;
  for (let block = 0; block < blocks; block++) {
    if (speech[block] === 1) {
      speakingBlocks += 1 + Math.min(pause, maxPauseBlocks);
      pause = 0;
    } else {
      pause++;
    }
  }
  const speakingMinutes = (speakingBlocks * blockLength) / rate / 60;
  const wpm = speakingMinutes > 0 ? syllables / speakingMinutes / SYLLABLES_PER_WORD : 0;

  return {
    median_pitch_hz: median,
    pitch_range_semitones: range,
    words_per_minute: wpm,
    voiced_share: voicedShare,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping to eSpeak

/** The eSpeak voice for a BCP 47 tag: exact match first, then by language (Spanish outside Spain → es-419). */
function espeakLanguage(language: string): string | undefined {
  const wanted = language.toLowerCase();
  const exact = ESPEAK_LANGUAGES.find(
    (entry) => entry.tag.toLowerCase() === wanted || entry.voice === wanted,
  );
  if (exact) return exact.voice;
  const [primary, region] = wanted.split('-');
  if (primary === 'es' && region !== undefined && region !== 'es') return 'es-419';
  return ESPEAK_LANGUAGES.find((entry) => entry.voice.split('-')[0] === primary)?.voice;
}

function clampRound(value: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, value)));
}

/** Piecewise-linear y(x) through points sorted by x, extended beyond the ends along the nearest segment. */
function interpolate(points: ReadonlyArray<readonly [number, number]>, x: number): number {
  let index = 1;
  while (index < points.length - 1 && x > (points[index]?.[0] ?? Infinity)) index++;
  const [x0, y0] = points[index - 1] ?? [0, 0];
  const [x1, y1] = points[index] ?? [1, 1];
  return y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
}

/**
 * The eSpeak voice nearest the measures: the female variant above FEMALE_ABOVE_HZ, the male one below; the eSpeak
 * pitch that moves the variant's own median F0 to the measured one; the eSpeak rate that measures as the measured
 * pace (eSpeak's 175 when there was none). Throws a RangeError for a language eSpeak is not offered in here, or for
 * measures without a pitch.
 */
export function profileFromMeasures(measures: VoiceMeasures, language: string): VoiceProfile {
  const base = espeakLanguage(language);
  if (base === undefined) throw new RangeError(`No eSpeak voice speaks "${language}"`);
  const hz = measures.median_pitch_hz;
  if (!Number.isFinite(hz) || hz <= 0) throw new RangeError('The measures hold no pitch to map');
  const variant = hz > FEMALE_ABOVE_HZ ? 'f3' : 'm3';
  const ratioToPitch = ESPEAK_PITCH_RATIO.map(([pitch, ratio]) => [ratio, pitch] as const);
  const pitch = clampRound(
    interpolate(ratioToPitch, hz / VARIANT_BASELINE_HZ[variant]),
    ESPEAK_PITCH.min,
    ESPEAK_PITCH.max,
  );
  const measured = measures.words_per_minute;
  const rate =
    Number.isFinite(measured) && measured > 0
      ? interpolate(MEASURED_TO_ESPEAK_WPM, measured)
      : ESPEAK_WPM.normal;
  const wpm = clampRound(rate, ESPEAK_WPM.min, ESPEAK_WPM.max);
  return { base, variant, pitch, wpm };
}

// ---------------------------------------------------------------------------------------------------------------
// Voice ids

export const PROFILE_ID_PREFIX = 'profile:';
const PROFILE_ID = /^profile:([a-z]{2,3}(?:-[a-z0-9]{2,3})?)\+([mf][1-7]):p(0|[1-9]\d?):w([1-9]\d{1,2})$/;

function isProfileVariant(value: string): value is ProfileVariant {
  return (PROFILE_VARIANTS as readonly string[]).includes(value);
}

/** A stateless voice id that carries the profile, e.g. `profile:en-us+f3:p62:w172`. */
export function encodeProfileVoiceId(profile: VoiceProfile): string {
  const { base, variant, pitch, wpm } = profile;
  return `${PROFILE_ID_PREFIX}${base}+${variant}:p${pitch}:w${wpm}`;
}

/**
 * The profile in a voice id, or undefined unless the id is exactly what `encodeProfileVoiceId` writes for a known
 * language, variant, pitch 0–99 and rate 80–450: nothing else reaches eSpeak's command line.
 */
export function decodeProfileVoiceId(id: string): VoiceProfile | undefined {
  const match = PROFILE_ID.exec(id);
  if (!match) return undefined;
  const [, base = '', variant = '', pitchText = '', wpmText = ''] = match;
  const pitch = Number(pitchText);
  const wpm = Number(wpmText);
  if (!isEspeakLanguage(base) || !isProfileVariant(variant)) return undefined;
  if (pitch < ESPEAK_PITCH.min || pitch > ESPEAK_PITCH.max) return undefined;
  if (wpm < ESPEAK_WPM.min || wpm > ESPEAK_WPM.max) return undefined;
  return { base, variant, pitch, wpm };
}
