// A Google Cloud Text-to-Speech simulator: the REST API the client library's fallback mode calls
// (POST /v1/text:synthesize, GET /v1/voices), with Google's validation, limits and error bodies.
import { renderSpeech } from './audio.ts';
import {
  Simulator,
  type ProviderBehaviour,
  type SimulatorRequest,
  type SimulatorResponse,
} from './harness.ts';

// --- SSML: shared with the Polly simulator ---------------------------------------------------------------------

export interface SsmlElement {
  name: string;
  attributes: Record<string, string>;
  /** The element's text content, entities decoded. */
  text: string;
}

export type SsmlReading = { ok: true; text: string; elements: SsmlElement[] } | { ok: false; reason: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Elements after which a listener hears a pause, so their words do not run together. */
const BREAKING = new Set(['break', 'p', 's', 'speak']);

function decode(raw: string): string | undefined {
  let bad = false;
  const text = raw.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) bad = true;
    if (ENTITIES[name]) return ENTITIES[name];
    const code = /^#x([0-9a-f]+)$/i.exec(name)?.[1] ?? /^#([0-9]+)$/.exec(name)?.[1];
    if (code === undefined) {
      bad = true;
      return whole;
    }
    return String.fromCodePoint(parseInt(code, name.startsWith('#x') ? 16 : 10));
  });
  return bad ? undefined : text;
}

/**
 * Reads SSML as a strict XML parser would: one `<speak>` root, balanced tags, quoted attributes, every `&` an
 * entity. Returns the words a voice would speak (a phoneme's word, not its phonemes) and the elements met.
 */
export function readSsml(ssml: string): SsmlReading {
  const source = ssml.replace(/^\s*<\?xml[^>]*\?>/, '');
  const stack: Array<{ element: SsmlElement; start: number }> = [];
  const elements: SsmlElement[] = [];
  let spoken = '';
  let position = 0;
  let rootClosed = false;
  while (position < source.length) {
    const next = source.indexOf('<', position);
    const raw = source.slice(position, next === -1 ? source.length : next);
    if (raw) {
      const text = decode(raw);
      if (text === undefined) return { ok: false, reason: `unescaped '&' in "${raw.trim().slice(0, 40)}"` };
      if (stack.length === 0 && text.trim()) return { ok: false, reason: 'text outside the <speak> element' };
      spoken += text;
    }
    if (next === -1) break;
    TAG.lastIndex = next;
    const tag = TAG.exec(source);
    if (!tag)
      return { ok: false, reason: `malformed tag at character ${next}: "${source.slice(next, next + 30)}"` };
    const [whole, closing, name = '', attributeText = '', selfClosing] = tag;
    position = next + whole.length;
    if (closing) {
      const open = stack.pop();
      if (open?.element.name !== name)
        return { ok: false, reason: `</${name}> does not close <${open?.element.name ?? ''}>` };
      open.element.text = spoken.slice(open.start);
      if (stack.length === 0) rootClosed = true;
    } else {
      if (rootClosed || (stack.length === 0 && name !== 'speak'))
        return { ok: false, reason: 'the root element must be one <speak>' };
      const attributes: Record<string, string> = {};
      for (const [, key = '', doubled, single] of attributeText.matchAll(ATTRIBUTE)) {
        const value = decode(doubled ?? single ?? '');
        if (value === undefined)
          return { ok: false, reason: `unescaped '&' in the ${key} attribute of <${name}>` };
        attributes[key] = value;
      }
      const element = { name, attributes, text: '' };
      elements.push(element);
      if (!selfClosing) stack.push({ element, start: spoken.length });
    }
    if (BREAKING.has(name)) spoken += ' ';
  }
  if (stack.length > 0)
    return { ok: false, reason: `<${stack[stack.length - 1]?.element.name}> is never closed` };
  if (!rootClosed) return { ok: false, reason: 'no <speak> element' };
  return { ok: true, text: spoken.replace(/\s+/g, ' ').trim(), elements };
}

// --- Google --------------------------------------------------------------------------------------------------------

interface GoogleVoice {
  name: string;
  gender: 'MALE' | 'FEMALE' | 'NEUTRAL';
}

const neural2 = (language: string, voices: string): GoogleVoice[] =>
  voices.split(' ').map((entry) => {
    const [letter = '', gender = ''] = entry.split(':');
    return { name: `${language}-Neural2-${letter}`, gender: gender === 'f' ? 'FEMALE' : 'MALE' };
  });

/** A slice of Google's catalogue (names and genders as `voices.list` gives them). */
export const GOOGLE_VOICES: readonly GoogleVoice[] = [
  ...neural2('en-US', 'A:m C:f D:m E:f F:f G:f H:f I:m J:m'),
  ...neural2('en-GB', 'A:f B:m C:f D:m F:f'),
  ...neural2('es-ES', 'A:f E:f F:m G:m H:f'),
  ...neural2('es-US', 'A:f B:m C:m'),
  ...neural2('fr-FR', 'A:f B:m C:f D:m F:f G:m'),
  ...neural2('de-DE', 'A:f B:m C:f D:m F:f G:f H:m'),
  { name: 'en-US-Wavenet-D', gender: 'MALE' },
  { name: 'en-US-Wavenet-F', gender: 'FEMALE' },
  { name: 'en-US-Standard-B', gender: 'MALE' },
  { name: 'en-US-Standard-C', gender: 'FEMALE' },
  { name: 'en-US-Chirp3-HD-Kore', gender: 'FEMALE' },
  { name: 'en-US-Chirp3-HD-Charon', gender: 'MALE' },
  { name: 'en-GB-Chirp3-HD-Aoede', gender: 'FEMALE' },
];

const MAX_INPUT_BYTES = 5000;
const GENDER_NUMBERS = { MALE: 1, FEMALE: 2, NEUTRAL: 3 } as const;
/** The AudioEncoding enum, as names and as the numbers the client sends with `enum-encoding=int`. */
const ENCODINGS: Record<string, 'LINEAR16' | 'MP3' | 'OTHER'> = {
  1: 'LINEAR16',
  LINEAR16: 'LINEAR16',
  2: 'MP3',
  MP3: 'MP3',
  3: 'OTHER',
  OGG_OPUS: 'OTHER',
  5: 'OTHER',
  MULAW: 'OTHER',
  6: 'OTHER',
  ALAW: 'OTHER',
};

function googleError(code: number, status: string, message: string, details?: object[]): SimulatorResponse {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}
const invalidArgument = (message: string) => googleError(400, 'INVALID_ARGUMENT', message);

const quotaDetails = (limit: string): object[] => [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'RATE_LIMIT_EXCEEDED',
    domain: 'googleapis.com',
    metadata: { service: 'texttospeech.googleapis.com', quota_limit: limit, consumer: 'projects/123456789' },
  },
];

function voicesOf(simulator: Simulator): GoogleVoice[] {
  const extra =
    (simulator.state.get('extraVoices') as Array<{ id: string; gender?: string }> | undefined) ?? [];
  const added = extra.map((voice) => ({
    name: voice.id,
    gender: (voice.gender?.toUpperCase() ?? 'NEUTRAL') as GoogleVoice['gender'],
  }));
  return [...GOOGLE_VOICES, ...added];
}

const languageOf = (name: string): string => /^[a-z]{2,3}-[A-Za-z0-9]+/.exec(name)?.[0] ?? name;

type Body = {
  input?: { text?: string; ssml?: string };
  voice?: { name?: string; languageCode?: string };
  audioConfig?: Record<string, unknown>;
};

function spokenText(body: Body | undefined): string | undefined {
  const input = body?.input;
  if (typeof input?.ssml === 'string') {
    const reading = readSsml(input.ssml);
    return reading.ok ? reading.text : input.ssml;
  }
  return input?.text;
}

function authorised(request: SimulatorRequest): boolean {
  return (
    /^Bearer \S+/.test(request.headers.authorization ?? '') ||
    Boolean(request.headers['x-goog-api-key'] ?? request.query.get('key'))
  );
}

async function synthesize(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse> {
  const body = request.json as Body | undefined;
  if (!body || typeof body !== 'object') return invalidArgument('Invalid JSON payload received.');
  const { input, voice, audioConfig } = body;
  const inputs = ['text', 'ssml', 'markup'].filter(
    (key) => typeof (input as Record<string, unknown> | undefined)?.[key] === 'string',
  );
  if (inputs.length !== 1)
    return invalidArgument('Exactly one of `input.text`, `input.ssml` or `input.markup` must be set.');
  const content = input?.ssml ?? input?.text ?? '';
  if (Buffer.byteLength(content, 'utf8') > MAX_INPUT_BYTES) {
    return invalidArgument(
      `Either \`input.text\` or \`input.ssml\` is longer than the limit of ${MAX_INPUT_BYTES} bytes. This limit is different from quotas. To fix, reduce the byte length of the characters in this request, or consider using the Long Audio API.`,
    );
  }
  const name = voice?.name;
  const languageCode = voice?.languageCode;
  if (!languageCode) return invalidArgument('Voice language code is required.');
  const found = voicesOf(simulator).find((candidate) => candidate.name === name);
  if (!found) return invalidArgument(`Voice '${name ?? ''}' does not exist. Is it misspelled?`);
  if (languageOf(found.name).toLowerCase() !== languageCode.toLowerCase()) {
    return invalidArgument(
      `Requested language code '${languageCode}' doesn't match the voice '${found.name}'.`,
    );
  }
  const chirp = found.name.includes('-Chirp3-HD-');
  if (input?.ssml !== undefined) {
    if (chirp) return invalidArgument('This voice currently does not support SSML input.');
    const reading = readSsml(input.ssml);
    if (!reading.ok) return invalidArgument(`Invalid SSML: ${reading.reason}.`);
  }

  const encoding = ENCODINGS[String(audioConfig?.audioEncoding ?? '')];
  if (!encoding) return invalidArgument('AudioConfig.audio_encoding must be specified.');
  if (encoding === 'OTHER') return invalidArgument('This simulator renders only LINEAR16 and MP3.');
  const speakingRate = Number(audioConfig?.speakingRate ?? 0) || 1;
  if (speakingRate < 0.25 || speakingRate > (chirp ? 2 : 4)) {
    return invalidArgument(`speaking_rate ${speakingRate} is out of range [0.25, ${chirp ? 2 : 4}].`);
  }
  const pitch = Number(audioConfig?.pitch ?? 0);
  if (pitch < -20 || pitch > 20) return invalidArgument(`pitch ${pitch} is out of range [-20.0, 20.0].`);
  if (chirp && pitch !== 0) return invalidArgument('This voice currently does not support pitch parameters.');
  const sampleRate = Number(audioConfig?.sampleRateHertz ?? 0) || 24_000;

  const text = spokenText(body) ?? '';
  // LINEAR16 comes back as a WAV file, header and all.
  const audio = await renderSpeech(text, {
    format: encoding === 'MP3' ? 'mp3' : 'wav',
    sampleRate,
    voice: found.name,
    speed: speakingRate,
  });
  return { status: 200, body: { audioContent: Buffer.from(audio).toString('base64') } };
}

function listVoices(request: SimulatorRequest, simulator: Simulator): SimulatorResponse {
  const language = request.query.get('languageCode')?.toLowerCase();
  const numericEnums = /enum-encoding=int/.test(request.query.get('$alt') ?? '');
  // "en" finds every en-* voice, "en-US" the en-US ones.
  const voices = voicesOf(simulator).filter((voice) => {
    const code = languageOf(voice.name).toLowerCase();
    return !language || code === language || code.startsWith(`${language}-`);
  });
  return {
    status: 200,
    body: {
      voices: voices.map((voice) => ({
        languageCodes: [languageOf(voice.name)],
        name: voice.name,
        ssmlGender: numericEnums ? GENDER_NUMBERS[voice.gender] : voice.gender,
        naturalSampleRateHertz: 24_000,
      })),
    },
  };
}

const behaviour: ProviderBehaviour = {
  name: 'google',
  describe(request) {
    if (request.path !== '/v1/text:synthesize') return {};
    const body = request.json as Body | undefined;
    const text = spokenText(body);
    return {
      ...(body?.voice?.name ? { voice: body.voice.name } : {}),
      ...(text !== undefined ? { text } : {}),
    };
  },
  faultResponse(kind) {
    switch (kind) {
      case 'server_error':
        return googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
      case 'rate_limited':
        return googleError(
          429,
          'RESOURCE_EXHAUSTED',
          "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'texttospeech.googleapis.com' for consumer 'project_number:123456789'.",
          quotaDetails('DefaultRequestsPerMinutePerProject'),
        );
      case 'quota_exceeded':
        return googleError(
          429,
          'RESOURCE_EXHAUSTED',
          "Quota exceeded for quota metric 'Characters' and limit 'Characters per day' of service 'texttospeech.googleapis.com' for consumer 'project_number:123456789'.",
          quotaDetails('CharactersPerDayPerProject'),
        );
      case 'auth':
        return googleError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
    }
  },
  async handle(request, simulator) {
    if (!authorised(request)) {
      return googleError(
        401,
        'UNAUTHENTICATED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (request.method === 'POST' && request.path === '/v1/text:synthesize')
      return synthesize(request, simulator);
    if (request.method === 'GET' && request.path === '/v1/voices') return listVoices(request, simulator);
    return googleError(404, 'NOT_FOUND', `The requested URL ${request.path} was not found on this server.`);
  },
};

export function createGoogleSimulator(): Simulator {
  return new Simulator(behaviour);
}
