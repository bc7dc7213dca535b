// Content-addressed speech in S3: a sentence said once with the same voice, settings and format is never paid for again.
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { config } from '../config.ts';
import { logger } from '../powertools.ts';
import { objectKeys, s3Client } from '../store/objects.ts';
import {
  CONTENT_TYPES,
  type AudioFormat,
  type Pronunciation,
  type VoiceSettings,
} from '../providers/tts/port.ts';

export interface SentenceIdentity {
  tenantId: string;
  provider: string;
  model: string;
  voiceId: string;
  /** Only the settings the provider applies, so irrelevant ones do not split the cache. */
  settings: VoiceSettings;
  format: AudioFormat;
  /** The normalised sentence, aliases applied. */
  text: string;
  phonemes: Pronunciation[];
}

export interface CachedAudio {
  audio: Uint8Array;
  audioSeconds: number;
}

/** Stable JSON: keys sorted, so the same settings always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sentenceHash(identity: SentenceIdentity): string {
  // The tenant is part of the hash as well as the key: one tenant's cache never answers another's request.
  return createHash('sha256').update(canonical(identity)).digest('hex');
}

export function sentenceKey(identity: SentenceIdentity): string {
  return objectKeys.cachedAudio(identity.tenantId, sentenceHash(identity), identity.format);
}

/** The key of a joined reply: the hash of its sentences' keys, so the same reply is joined once. */
export function joinedKey(tenantId: string, sentenceKeys: string[], format: AudioFormat): string {
  const hash = createHash('sha256').update(sentenceKeys.join('\n')).digest('hex');
  return objectKeys.cachedAudio(tenantId, `joined-${hash}`, format);
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'))
  );
}

/** A cached sentence, or undefined: a read that fails is treated as a miss, since the sentence can be made again. */
export async function readCachedAudio(key: string): Promise<CachedAudio | undefined> {
  try {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: config().audioBucket, Key: key }));
    const audio = await object.Body!.transformToByteArray();
    const audioSeconds = Number(object.Metadata?.['audio-seconds']);
    // An object still being written by a concurrent request has no metadata yet: not a usable hit.
    if (!Number.isFinite(audioSeconds) || audio.length === 0) return undefined;
    return { audio, audioSeconds };
  } catch (error) {
    if (!isMissing(error))
      logger.warn('speech cache read failed; synthesising instead', { key, error: error as Error });
    return undefined;
  }
}

export async function cachedAudioExists(key: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: config().audioBucket, Key: key }));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * Stores audio under its content address. Two requests saying the same new sentence at once write the same bytes to
 * the same key; if this write fails but the object is there, the other one won and that is as good.
 */
export async function writeCachedAudio(
  key: string,
  format: AudioFormat,
  audio: Uint8Array,
  details: { audioSeconds: number; provider: string; model: string; voiceId: string },
): Promise<void> {
  try {
    await putAudio(key, format, audio, details);
  } catch (error) {
    if (await cachedAudioExists(key).catch(() => false)) return;
    throw error;
  }
}

async function putAudio(
  key: string,
  format: AudioFormat,
  audio: Uint8Array,
  details: { audioSeconds: number; provider: string; model: string; voiceId: string },
): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: config().audioBucket,
      Key: key,
      Body: audio,
      ContentType: CONTENT_TYPES[format],
      Metadata: {
        'audio-seconds': details.audioSeconds.toFixed(3),
        provider: details.provider,
        model: details.model,
        'voice-id': details.voiceId,
      },
    }),
  );
}
