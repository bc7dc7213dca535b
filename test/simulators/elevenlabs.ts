// An ElevenLabs API simulator: speech (whole and streamed), the voice catalogue and instant cloning, on the real
// paths with ElevenLabs' bodies and errors, so @elevenlabs/elevenlabs-js can be driven against it unchanged.
import { randomBytes } from 'node:crypto';
import { renderSpeech } from './audio.ts';
import {
  Simulator,
  type ProviderBehaviour,
  type SimulatorRequest,
  type SimulatorResponse,
} from './harness.ts';

interface CatalogueVoice {
  voice_id: string;
  name: string;
  category: 'premade' | 'cloned';
  labels: Record<string, string>;
  description?: string;
  /** Locales the voice is verified in (en-US …). */
  locales: string[];
  /** A clone the account must still verify: it stays unusable. */
  requiresVerification?: boolean;
}

// Stock voices with the ids ElevenLabs gives them, so fixtures and docs examples work as they do against the API.
const STOCK_VOICES: CatalogueVoice[] = (
  [
    ['21m00Tcm4TlvDq8ikWAM', 'Rachel', 'female', 'american', ['en-US']],
    ['pNInz6obpgDQGcFmaJgB', 'Adam', 'male', 'american', ['en-US']],
    ['EXAVITQu4vr4xnSDxMaL', 'Sarah', 'female', 'american', ['en-US']],
    ['JBFqnCBsd6RMkjVDRZzb', 'George', 'male', 'british', ['en-GB']],
    ['XB0fDUnXU5powFXDhCwa', 'Charlotte', 'female', 'swedish', ['en-GB', 'sv-SE']],
  ] as const
).map(([voice_id, name, gender, accent, locales]) => ({
  voice_id,
  name,
  category: 'premade',
  labels: { gender, accent, age: 'middle_aged', use_case: 'conversational' },
  locales: [...locales],
}));

/** Models this simulator speaks, with the per-request character limits ElevenLabs documents. */
const MODEL_LIMITS: Record<string, number> = {
  eleven_multilingual_v2: 10_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2_5: 40_000,
  eleven_flash_v2: 30_000,
  eleven_turbo_v2: 30_000,
  eleven_v3: 5_000,
};
const DEFAULT_MODEL = 'eleven_multilingual_v2';
const DEFAULT_OUTPUT_FORMAT = 'mp3_44100_128';
const KNOWN_CODECS = ['mp3', 'pcm', 'wav', 'opus', 'ulaw', 'alaw'];
const SETTING_RANGES: Record<string, [number, number]> = {
  stability: [0, 1],
  similarity_boost: [0, 1],
  style: [0, 1],
  speed: [0.7, 1.2],
};
const STREAM_CHUNK_BYTES = 4096;

const detail = (status: string, message: string) => ({ detail: { status, message } });
const json = (status: number, body: object): SimulatorResponse => ({ status, body });
/** Body and query validation fails as FastAPI (ElevenLabs' server) reports it: 422 with a list of problems. */
const invalid = (
  loc: (string | number)[],
  msg: string,
  type = 'value_error',
  input?: unknown,
): SimulatorResponse => json(422, { detail: [{ type, loc, msg, input }] });

/** Voices tests add through the harness control API (`SimulatorControl.addVoice`). */
type ExtraVoice = { id: string; name?: string; languages?: string[]; gender?: string };

function clonedVoices(simulator: Simulator): Map<string, CatalogueVoice> {
  let cloned = simulator.state.get('clonedVoices') as Map<string, CatalogueVoice> | undefined;
  if (!cloned) {
    cloned = new Map();
    simulator.state.set('clonedVoices', cloned);
  }
  return cloned;
}

function catalogue(simulator: Simulator): CatalogueVoice[] {
  const added = (simulator.state.get('extraVoices') as ExtraVoice[] | undefined) ?? [];
  return [
    ...STOCK_VOICES,
    ...added.map((voice): CatalogueVoice => ({
      voice_id: voice.id,
      name: voice.name ?? voice.id,
      category: 'premade',
      labels: voice.gender ? { gender: voice.gender } : {},
      locales: voice.languages ?? ['en-US'],
    })),
    ...clonedVoices(simulator).values(),
  ];
}

/** A voice as GET /v1/voices/{id} answers it. */
function voiceJson(voice: CatalogueVoice) {
  return {
    voice_id: voice.voice_id,
    name: voice.name,
    category: voice.category,
    labels: voice.labels,
    description: voice.description ?? null,
    preview_url: `https://storage.googleapis.com/eleven-public-prod/premade/voices/${voice.voice_id}/preview.mp3`,
    available_for_tiers: [],
    high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_turbo_v2_5', 'eleven_flash_v2_5'],
    verified_languages: voice.locales.map((locale) => ({
      language: locale.split('-')[0],
      model_id: 'eleven_multilingual_v2',
      accent: voice.labels.accent ?? 'standard',
      locale,
    })),
    voice_verification: {
      requires_verification: voice.requiresVerification === true,
      is_verified: false,
      verification_failures: [],
      verification_attempts_count: 0,
    },
    is_owner: voice.category !== 'premade',
    is_legacy: false,
  };
}

const voiceNotFound = (id: string) =>
  json(404, detail('voice_not_found', `A voice with the voice_id ${id} was not found.`));

async function speech(request: SimulatorRequest, simulator: Simulator, voiceId: string, streamed: boolean) {
  const outputFormat = request.query.get('output_format') ?? DEFAULT_OUTPUT_FORMAT;
  const [codec = '', rate = '', bitrate] = outputFormat.split('_');
  if (!KNOWN_CODECS.includes(codec) || !/^\d+$/.test(rate)) {
    return invalid(['query', 'output_format'], `Invalid output format ${outputFormat}`, 'enum', outputFormat);
  }
  const body = request.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return invalid(['body'], 'Field required', 'missing');
  if (typeof body.text !== 'string') return invalid(['body', 'text'], 'Field required', 'missing');
  const model = body.model_id === undefined ? DEFAULT_MODEL : body.model_id;
  if (typeof model !== 'string' || MODEL_LIMITS[model] === undefined) {
    return json(400, detail('model_not_found', `A model with model ID ${String(model)} does not exist.`));
  }
  const settings = body.voice_settings;
  if (settings !== undefined && settings !== null) {
    if (typeof settings !== 'object') return invalid(['body', 'voice_settings'], 'Input should be an object');
    for (const [name, value] of Object.entries(settings)) {
      const range = SETTING_RANGES[name];
      if (name === 'use_speaker_boost' && typeof value !== 'boolean') {
        return invalid(['body', 'voice_settings', name], 'Input should be a boolean', 'bool_type', value);
      }
      if (range && (typeof value !== 'number' || value < range[0] || value > range[1])) {
        const msg = `Input should be between ${range[0]} and ${range[1]}`;
        return invalid(['body', 'voice_settings', name], msg, 'range', value);
      }
    }
  }
  if (!catalogue(simulator).some((voice) => voice.voice_id === voiceId)) return voiceNotFound(voiceId);
  const limit = MODEL_LIMITS[model] ?? 0;
  const characters = [...body.text].length;
  if (characters > limit) {
    const message = `This request's text has ${characters} characters and exceeds the character limit of ${limit} characters.`;
    return json(400, detail('max_character_limit_exceeded', message));
  }
  if (body.text.trim() === '') return json(400, detail('empty_text', 'The text is empty.'));
  if (codec !== 'mp3' && codec !== 'pcm' && codec !== 'wav') {
    return json(501, detail('not_simulated', `The simulator does not render ${codec}.`));
  }

  const speed = (settings as Record<string, unknown> | undefined)?.speed;
  const audio = await renderSpeech(body.text, {
    format: codec,
    sampleRate: Number(rate),
    voice: voiceId,
    ...(bitrate ? { bitrateKbps: Number(bitrate) } : {}),
    ...(typeof speed === 'number' ? { speed } : {}),
  });
  if (codec === 'wav') {
    // ElevenLabs streams WAV before it knows the length, leaving 0x7FFFFFFF placeholders in both size fields.
    const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
    view.setUint32(4, 0x7fffffff, true);
    view.setUint32(40, 0x7fffffff, true);
  }
  const headers = {
    'content-type': codec === 'mp3' ? 'audio/mpeg' : codec === 'wav' ? 'audio/wav' : 'audio/pcm',
    'request-id': randomBytes(10).toString('hex'),
    'x-character-count': String(characters),
  };
  const bytes = Buffer.from(audio);
  if (!streamed) return { status: 200, headers, body: bytes };
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += STREAM_CHUNK_BYTES) {
    chunks.push(bytes.subarray(offset, offset + STREAM_CHUNK_BYTES));
  }
  return { status: 200, headers, chunks, chunkDelayMs: 5 };
}

/** GET /v2/voices: pages of the catalogue, newest ElevenLabs shape (has_more, next_page_token). */
function searchVoices(request: SimulatorRequest, simulator: Simulator): SimulatorResponse {
  const size = Number(request.query.get('page_size') ?? 10);
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    return invalid(['query', 'page_size'], 'Input should be between 1 and 100', 'range', size);
  }
  const search = request.query.get('search')?.toLowerCase();
  const category = request.query.get('category');
  const voices = catalogue(simulator).filter(
    (voice) =>
      (!search || voice.name.toLowerCase().includes(search)) && (!category || voice.category === category),
  );
  const start = Number(request.query.get('next_page_token') ?? 0) || 0;
  const page = voices.slice(start, start + size);
  const hasMore = start + size < voices.length;
  return json(200, {
    voices: page.map(voiceJson),
    has_more: hasMore,
    total_count: voices.length,
    next_page_token: hasMore ? String(start + size) : null,
  });
}

/** POST /v1/voices/add: instant voice cloning from multipart `name`, `files` (one or more) and optional fields. */
async function addVoice(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return invalid(['body'], 'Expected a multipart form');
  const form = await new Response(request.rawBody, { headers: { 'content-type': contentType } }).formData();
  const name = form.get('name');
  if (typeof name !== 'string' || !name.trim()) return invalid(['body', 'name'], 'Field required', 'missing');
  const files = form.getAll('files').filter((file) => typeof file !== 'string');
  if (files.length === 0) return invalid(['body', 'files'], 'Field required', 'missing');
  if (files.some((file) => typeof file === 'string' || file.size === 0)) {
    return json(400, detail('invalid_audio', 'One of the uploaded files is empty.'));
  }
  let labels: Record<string, string> = {};
  const labelsField = form.get('labels');
  if (typeof labelsField === 'string' && labelsField !== '') {
    try {
      labels = JSON.parse(labelsField) as Record<string, string>;
    } catch {
      return invalid(['body', 'labels'], 'Labels must be a JSON object');
    }
  }
  // Tests switch these on through the control API to play a provider that refuses a clone, or never finishes one.
  const rejection = simulator.state.get('cloneRejection');
  if (typeof rejection === 'string') return json(400, detail('voice_cloning_failed', rejection));
  const requiresVerification = simulator.state.get('cloneRequiresVerification') === true;
  const description = form.get('description');
  const voiceId = randomBytes(10).toString('hex');
  clonedVoices(simulator).set(voiceId, {
    voice_id: voiceId,
    name,
    category: 'cloned',
    labels,
    ...(typeof description === 'string' ? { description } : {}),
    locales: labels.language ? [labels.language] : [],
    ...(requiresVerification ? { requiresVerification } : {}),
  });
  return json(200, { voice_id: voiceId, requires_verification: requiresVerification });
}

function authorised(request: SimulatorRequest): boolean {
  return Boolean(request.headers['xi-api-key']);
}

export const elevenLabsBehaviour: ProviderBehaviour = {
  name: 'elevenlabs',

  describe(request) {
    const tts = /^\/v1\/text-to-speech\/([^/]+)/.exec(request.path);
    if (tts) {
      const text = (request.json as { text?: unknown } | undefined)?.text;
      return { voice: decodeURIComponent(tts[1] ?? ''), ...(typeof text === 'string' ? { text } : {}) };
    }
    const voice = /^\/v1\/voices\/([^/]+)$/.exec(request.path)?.[1];
    return voice && voice !== 'add' ? { voice: decodeURIComponent(voice) } : {};
  },

  faultResponse(kind) {
    switch (kind) {
      case 'server_error':
        // An unhandled error in ElevenLabs' FastAPI server is Starlette's plain-text 500.
        return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' };
      case 'rate_limited':
        return json(
          429,
          detail('too_many_concurrent_requests', 'Too many concurrent requests for your plan.'),
        );
      case 'quota_exceeded':
        return json(401, detail('quota_exceeded', 'This request exceeds your quota. 12 credits remain.'));
      case 'auth':
        return json(401, detail('invalid_api_key', 'Invalid API key'));
    }
  },

  async handle(request, simulator) {
    if (!authorised(request)) return json(401, detail('invalid_api_key', 'Invalid API key'));
    const route = `${request.method} ${request.path}`;
    const tts = /^POST \/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(route);
    if (tts) return speech(request, simulator, decodeURIComponent(tts[1] ?? ''), Boolean(tts[2]));
    if (route === 'GET /v2/voices') return searchVoices(request, simulator);
    if (route === 'GET /v1/voices') return json(200, { voices: catalogue(simulator).map(voiceJson) });
    if (route === 'POST /v1/voices/add') return addVoice(request, simulator);
    const one = /^(GET|DELETE) \/v1\/voices\/([^/]+)$/.exec(route);
    if (one) {
      const id = decodeURIComponent(one[2] ?? '');
      const voice = catalogue(simulator).find((candidate) => candidate.voice_id === id);
      if (!voice) return voiceNotFound(id);
      if (one[1] === 'GET') return json(200, voiceJson(voice));
      if (voice.category === 'premade') {
        return json(400, detail('voice_not_deletable', 'Premade voices cannot be deleted.'));
      }
      clonedVoices(simulator).delete(id);
      return json(200, { status: 'ok' });
    }
    return json(404, { detail: 'Not Found' });
  },
};

export function createElevenLabsSimulator(): Simulator {
  return new Simulator(elevenLabsBehaviour);
}
