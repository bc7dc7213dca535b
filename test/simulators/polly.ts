// An Amazon Polly simulator: the REST-JSON API the AWS SDK calls (POST /v1/speech, GET /v1/voices), with Polly's
// SigV4 check, validation, limits and error shapes (`x-amzn-ErrorType` header + `{"message"}` body).
import { randomUUID } from 'node:crypto';
import { renderSpeech } from './audio.ts';
import { readSsml } from './google.ts';
import {
  Simulator,
  type ProviderBehaviour,
  type SimulatorRequest,
  type SimulatorResponse,
} from './harness.ts';

type Engine = 'standard' | 'neural' | 'generative' | 'long-form';

interface PollyVoice {
  Id: string;
  Gender: 'Female' | 'Male';
  LanguageCode: string;
  LanguageName: string;
  SupportedEngines: Engine[];
  AdditionalLanguageCodes?: string[];
}

const voice = (
  Id: string,
  Gender: 'Female' | 'Male',
  LanguageCode: string,
  LanguageName: string,
  engines: string,
) => ({
  Id,
  Gender,
  LanguageCode,
  LanguageName,
  SupportedEngines: engines.split(' ') as Engine[],
});

/** A slice of Polly's catalogue, with the engines each voice speaks. */
export const POLLY_VOICES: readonly PollyVoice[] = [
  voice('Danielle', 'Female', 'en-US', 'US English', 'generative long-form neural'),
  voice('Gregory', 'Male', 'en-US', 'US English', 'long-form neural'),
  voice('Ivy', 'Female', 'en-US', 'US English', 'neural standard'),
  voice('Joanna', 'Female', 'en-US', 'US English', 'generative neural standard'),
  voice('Kendra', 'Female', 'en-US', 'US English', 'neural standard'),
  voice('Kevin', 'Male', 'en-US', 'US English', 'neural standard'),
  voice('Matthew', 'Male', 'en-US', 'US English', 'generative neural standard'),
  voice('Ruth', 'Female', 'en-US', 'US English', 'generative long-form neural'),
  voice('Stephen', 'Male', 'en-US', 'US English', 'generative neural'),
  voice('Joey', 'Male', 'en-US', 'US English', 'neural standard'),
  voice('Amy', 'Female', 'en-GB', 'British English', 'generative neural standard'),
  voice('Brian', 'Male', 'en-GB', 'British English', 'generative neural standard'),
  voice('Emma', 'Female', 'en-GB', 'British English', 'neural standard'),
  voice('Lupe', 'Female', 'es-US', 'US Spanish', 'generative neural standard'),
  voice('Pedro', 'Male', 'es-US', 'US Spanish', 'generative neural'),
  voice('Lucia', 'Female', 'es-ES', 'Castilian Spanish', 'generative neural standard'),
  { ...voice('Aditi', 'Female', 'en-IN', 'Indian English', 'standard'), AdditionalLanguageCodes: ['hi-IN'] },
];

const ENGINES: readonly Engine[] = ['standard', 'neural', 'generative', 'long-form'];
const MAX_BILLED = 3000;
const MAX_TOTAL = 6000;
const SAMPLE_RATES: Record<string, string[]> = {
  mp3: ['8000', '16000', '22050', '24000'],
  ogg_vorbis: ['8000', '16000', '22050', '24000'],
  pcm: ['8000', '16000'],
};
/** DescribeVoices pages; small, so the SDK's NextToken loop is exercised. */
const PAGE_SIZE = 10;

function awsError(status: number, type: string, message: string, extra: object = {}): SimulatorResponse {
  return {
    status,
    headers: {
      'x-amzn-ErrorType': type,
      'x-amzn-RequestId': randomUUID(),
      'content-type': 'application/json',
    },
    body: { message, ...extra },
  };
}
const validation = (message: string) => awsError(400, 'ValidationException', message);

/** SigV4 as the SDK signs it: the credential scope must name the polly service. */
function signatureProblem(request: SimulatorRequest): SimulatorResponse | undefined {
  const header = request.headers.authorization;
  if (!header) return awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const scope =
    /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.exec(
      header,
    );
  if (!scope)
    return awsError(
      403,
      'IncompleteSignatureException',
      'Authorization header requires a valid SigV4 signature.',
    );
  if (scope[4] !== 'polly') {
    return awsError(
      403,
      'InvalidSignatureException',
      `Credential should be scoped to correct service: 'polly'.`,
    );
  }
  return undefined;
}

function voicesOf(simulator: Simulator): PollyVoice[] {
  const extra =
    (simulator.state.get('extraVoices') as
      Array<{ id: string; languages?: string[]; gender?: string }> | undefined) ?? [];
  const added = extra.map((entry) =>
    voice(
      entry.id,
      entry.gender === 'male' ? 'Male' : 'Female',
      entry.languages?.[0] ?? 'en-US',
      'Custom',
      'generative',
    ),
  );
  return [...POLLY_VOICES, ...added];
}

type Body = {
  OutputFormat?: string;
  Text?: string;
  TextType?: string;
  VoiceId?: string;
  Engine?: string;
  SampleRate?: string;
};

function spokenText(body: Body | undefined): string | undefined {
  if (typeof body?.Text !== 'string') return undefined;
  if (body.TextType !== 'ssml') return body.Text;
  const reading = readSsml(body.Text);
  return reading.ok ? reading.text : body.Text;
}

async function synthesize(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse> {
  const body = request.json as Body | undefined;
  if (!body || typeof body !== 'object')
    return awsError(400, 'SerializationException', 'Could not parse the request body.');
  const { OutputFormat: format, Text: text, VoiceId: voiceId } = body;
  const engine = (body.Engine ?? 'standard') as Engine;
  const textType = body.TextType ?? 'text';
  if (!format || !SAMPLE_RATES[format]) {
    return validation(
      `1 validation error detected: Value '${format ?? 'null'}' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [json, mp3, ogg_vorbis, pcm]`,
    );
  }
  if (typeof text !== 'string')
    return validation(
      `1 validation error detected: Value null at 'text' failed to satisfy constraint: Member must not be null`,
    );
  const voices = voicesOf(simulator);
  const found = voices.find((candidate) => candidate.Id === voiceId);
  if (!found) {
    const ids = voices.map((candidate) => candidate.Id).join(', ');
    return validation(
      `1 validation error detected: Value '${voiceId ?? 'null'}' at 'voiceId' failed to satisfy constraint: Member must satisfy enum value set: [${ids}]`,
    );
  }
  if (!ENGINES.includes(engine)) {
    return validation(
      `1 validation error detected: Value '${engine}' at 'engine' failed to satisfy constraint: Member must satisfy enum value set: [standard, neural, long-form, generative]`,
    );
  }
  if (!found.SupportedEngines.includes(engine)) {
    return awsError(
      400,
      'EngineNotSupportedException',
      `This voice does not support the selected engine: ${engine}`,
    );
  }

  let spoken = text;
  if (textType === 'ssml') {
    const reading = readSsml(text);
    if (!reading.ok) return awsError(400, 'InvalidSsmlException', `Invalid SSML request: ${reading.reason}`);
    // Only the standard engine changes pitch; the others refuse the attribute outright.
    if (
      engine !== 'standard' &&
      reading.elements.some((element) => element.name === 'prosody' && element.attributes.pitch)
    ) {
      return awsError(
        400,
        'InvalidSsmlException',
        'Invalid SSML request: pitch is not supported by this engine',
      );
    }
    spoken = reading.text;
  } else if (textType !== 'text') {
    return validation(
      `1 validation error detected: Value '${textType}' at 'textType' failed to satisfy constraint: Member must satisfy enum value set: [text, ssml]`,
    );
  }
  const billed = [...spoken].length;
  if (billed > MAX_BILLED || text.length > MAX_TOTAL) {
    return awsError(
      400,
      'TextLengthExceededException',
      `Maximum text length has been exceeded (${billed} billed characters, ${text.length} in all)`,
    );
  }
  const defaultRate = format === 'pcm' ? '16000' : engine === 'standard' ? '22050' : '24000';
  const sampleRate = body.SampleRate ?? defaultRate;
  if (!SAMPLE_RATES[format]?.includes(sampleRate)) {
    return awsError(
      400,
      'InvalidSampleRateException',
      `Invalid sample rate ${sampleRate} for output format ${format}`,
    );
  }
  if (format === 'ogg_vorbis')
    return awsError(400, 'ValidationException', 'This simulator renders only mp3 and pcm.');

  const prosodyRate = textType === 'ssml' ? /<prosody[^>]*\srate="(\d+)%"/.exec(text)?.[1] : undefined;
  const audio = await renderSpeech(spoken, {
    format: format === 'mp3' ? 'mp3' : 'pcm',
    sampleRate: Number(sampleRate),
    voice: found.Id,
    ...(prosodyRate ? { speed: Number(prosodyRate) / 100 } : {}),
  });
  return {
    status: 200,
    headers: {
      'content-type': format === 'mp3' ? 'audio/mpeg' : 'audio/pcm',
      'x-amzn-RequestCharacters': String(billed),
      'x-amzn-RequestId': randomUUID(),
    },
    body: Buffer.from(audio),
  };
}

function describeVoices(request: SimulatorRequest, simulator: Simulator): SimulatorResponse {
  const engine = request.query.get('Engine');
  const language = request.query.get('LanguageCode');
  const additional = request.query.get('IncludeAdditionalLanguageCodes') === 'true';
  const start = Number(request.query.get('NextToken') ?? 0);
  if (engine && !ENGINES.includes(engine as Engine)) {
    return validation(
      `1 validation error detected: Value '${engine}' at 'engine' failed to satisfy constraint: Member must satisfy enum value set: [standard, neural, long-form, generative]`,
    );
  }
  const voices = voicesOf(simulator).filter(
    (candidate) =>
      (!engine || candidate.SupportedEngines.includes(engine as Engine)) &&
      (!language ||
        candidate.LanguageCode === language ||
        (additional && candidate.AdditionalLanguageCodes?.includes(language))),
  );
  const page = voices.slice(start, start + PAGE_SIZE).map((entry) => ({ ...entry, Name: entry.Id }));
  const more = start + PAGE_SIZE < voices.length;
  return { status: 200, body: { Voices: page, ...(more ? { NextToken: String(start + PAGE_SIZE) } : {}) } };
}

const behaviour: ProviderBehaviour = {
  name: 'polly',
  describe(request) {
    if (request.path !== '/v1/speech') return {};
    const body = request.json as Body | undefined;
    const text = spokenText(body);
    return { ...(body?.VoiceId ? { voice: body.VoiceId } : {}), ...(text !== undefined ? { text } : {}) };
  },
  faultResponse(kind) {
    switch (kind) {
      case 'server_error':
        return awsError(500, 'ServiceFailureException', 'An unknown condition has caused a service failure.');
      case 'rate_limited':
        // Polly throttles with HTTP 400, not 429.
        return awsError(400, 'ThrottlingException', 'Rate exceeded');
      case 'quota_exceeded':
        return awsError(
          402,
          'ServiceQuotaExceededException',
          'The request would cause a service quota to be exceeded.',
          {
            quotaCode: 'L-POLLY-CHARS',
            serviceCode: 'polly',
          },
        );
      case 'auth':
        return awsError(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
    }
  },
  async handle(request, simulator) {
    const problem = signatureProblem(request);
    if (problem) return problem;
    if (request.method === 'POST' && request.path === '/v1/speech') return synthesize(request, simulator);
    if (request.method === 'GET' && request.path === '/v1/voices') return describeVoices(request, simulator);
    return awsError(404, 'UnknownOperationException', `No operation at ${request.method} ${request.path}`);
  },
};

export function createPollySimulator(): Simulator {
  return new Simulator(behaviour);
}
