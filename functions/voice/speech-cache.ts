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

export async function readCachedAudio(key: string): Promise<CachedAudio | undefined> {
  try {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: config().audioBucket, Key: key }));
    const audio = await object.Body!.transformToByteArray();
    const audioSeconds = Number(object.Metadata?.['audio-seconds']);
    return { audio, audioSeconds: Number.isFinite(audioSeconds) ? audioSeconds : 0 };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
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

export async function writeCachedAudio(
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
