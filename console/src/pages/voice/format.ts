// How the voice page writes lengths, sizes and quality figures, and which audio files it accepts.

/** 339.4 → "5:39"; minutes and seconds, as a recorder shows them. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Decimal units, as the API's 10 MB limit and people's file browsers count them. */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The largest file a presigned upload takes (the API's MAX_SAMPLE_BYTES). */
export const MAX_SAMPLE_BYTES = 10 * 1024 * 1024;
/** How many files one upload registration takes. */
export const FILES_PER_REGISTRATION = 10;

const TYPES_BY_EXTENSION: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  wave: 'audio/wav',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
};

const ACCEPTED_TYPES = new Set([
  'audio/mpeg',
  'audio/mp3',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mp4',
  'audio/x-m4a',
  'audio/m4a',
  'audio/aac',
  'audio/flac',
  'audio/x-flac',
  'audio/ogg',
]);

/** What the file input offers to pick. */
export const ACCEPT = [
  'audio/*',
  ...Object.keys(TYPES_BY_EXTENSION).map((extension) => `.${extension}`),
].join(',');

/**
 * The content type to register a file with: the browser's when the API takes it, else one from the file's
 * extension. The validator reads the real format from the bytes, so this only has to be an audio type.
 */
export function sampleContentType(file: File): string | undefined {
  if (ACCEPTED_TYPES.has(file.type)) return file.type;
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  return TYPES_BY_EXTENSION[extension];
}

/** A file's length, read by the browser before it is uploaded; undefined when the browser cannot decode it. */
export function measureDuration(file: File): Promise<number | undefined> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const audio = new Audio();
    const done = (seconds: number | undefined) => {
      URL.revokeObjectURL(url);
      resolve(seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined);
    };
    audio.preload = 'metadata';
    audio.onloadedmetadata = () => done(audio.duration);
    audio.onerror = () => done(undefined);
    audio.src = url;
  });
}

/** The quality figures of a sample report, in the order and words a person reads them. */
export const QUALITY_FIGURES: Array<{ key: string; label: string; show: (value: number) => string }> = [
  { key: 'loudness_dbfs', label: 'Loudness', show: (value) => `${value.toFixed(1)} dBFS` },
  { key: 'peak_dbfs', label: 'Peak', show: (value) => `${value.toFixed(1)} dBFS` },
  { key: 'snr_db', label: 'Signal to noise', show: (value) => `${value.toFixed(1)} dB` },
  { key: 'noise_floor_dbfs', label: 'Noise floor', show: (value) => `${value.toFixed(1)} dBFS` },
  { key: 'speech_share', label: 'Speech share', show: (value) => `${Math.round(value * 100)} %` },
  { key: 'clipping_share', label: 'Clipping', show: (value) => `${(value * 100).toFixed(2)} %` },
];
