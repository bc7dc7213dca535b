// An OpenAI API simulator: POST /v1/audio/speech with OpenAI's validation and error bodies, so the `openai` SDK
// can be driven against it unchanged. Routes live in one table; chat completions will join it as another row.
import { randomBytes } from 'node:crypto';
import { renderSpeech } from './audio.ts';
import {
  Simulator,
  type ProviderBehaviour,
  type SimulatorRequest,
  type SimulatorResponse,
} from './harness.ts';

interface Route {
  method: string;
  path: string;
  /** The voice and text of a request, for the record and for faults aimed at one voice. */
  describe(request: SimulatorRequest): { voice?: string; text?: string };
  handle(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse>;
}

interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

const error = (status: number, body: OpenAiError): SimulatorResponse => ({ status, body: { error: body } });
const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  error(400, { message, type: 'invalid_request_error', param, code });

// --- speech -------------------------------------------------------------------------------------------------------

/** tts-1 and tts-1-hd speak nine voices; gpt-4o-mini-tts adds four of its own. */
const CLASSIC_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];
const ALL_VOICES = [...CLASSIC_VOICES, 'ballad', 'verse', 'marin', 'cedar'];
const SPEECH_MODELS: Record<string, string[]> = {
  'tts-1': CLASSIC_VOICES,
  'tts-1-hd': CLASSIC_VOICES,
  'gpt-4o-mini-tts': ALL_VOICES,
  'gpt-4o-mini-tts-2025-12-15': ALL_VOICES,
};
const RESPONSE_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];
const MAX_INPUT = 4096;
/** OpenAI speaks at 24 kHz whatever the format. */
const SAMPLE_RATE = 24_000;
const CONTENT_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', pcm: 'audio/pcm' };
const STREAM_CHUNK_BYTES = 4096;

function quoted(values: string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

async function speech(request: SimulatorRequest): Promise<SimulatorResponse> {
  const body = request.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') {
    return invalidRequest('We could not parse the JSON body of your request.');
  }
  const { model, voice, input, instructions } = body;
  const format = body.response_format ?? 'mp3';
  const speed = body.speed ?? 1;
  if (typeof model !== 'string')
    return invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const voices = SPEECH_MODELS[model];
  if (!voices) {
    return error(404, {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
  }
  if (typeof input !== 'string')
    return invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if ([...input].length > MAX_INPUT) {
    // OpenAI passes its schema validator's own report through as the message.
    return invalidRequest(
      `[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most ${MAX_INPUT} characters', 'ctx': {'max_length': ${MAX_INPUT}}}]`,
    );
  }
  if (typeof voice !== 'string')
    return invalidRequest("Missing required parameter: 'voice'.", 'voice', 'missing_required_parameter');
  if (!voices.includes(voice)) {
    return invalidRequest(
      `Invalid value: '${voice}'. Supported values are: ${quoted(voices)}.`,
      'voice',
      'invalid_value',
    );
  }
  if (typeof format !== 'string' || !RESPONSE_FORMATS.includes(format)) {
    const message = `Invalid value: '${String(format)}'. Supported values are: ${quoted(RESPONSE_FORMATS)}.`;
    return invalidRequest(message, 'response_format', 'invalid_value');
  }
  if (typeof speed !== 'number' || speed < 0.25 || speed > 4) {
    const message = `Invalid 'speed': ${String(speed)}. Expected a value between 0.25 and 4.0.`;
    return invalidRequest(message, 'speed', 'invalid_value');
  }
  if (instructions !== undefined && typeof instructions !== 'string') {
    return invalidRequest(
      "Invalid type for 'instructions': expected a string.",
      'instructions',
      'invalid_type',
    );
  }
  if (input.trim() === '') return invalidRequest("Invalid 'input': empty string.", 'input', 'empty_string');
  if (!(format in CONTENT_TYPES)) {
    return error(501, {
      message: `The simulator does not render ${format}; ask for mp3, wav or pcm.`,
      type: 'not_simulated',
      param: 'response_format',
      code: null,
    });
  }

  const audio = await renderSpeech(input, {
    format: format as 'mp3' | 'wav' | 'pcm',
    sampleRate: SAMPLE_RATE,
    voice,
    bitrateKbps: 64,
    speed,
  });
  if (format === 'wav') {
    // OpenAI streams its WAV, so the header cannot know the length: both sizes are 0xFFFFFFFF.
    const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
    view.setUint32(4, 0xffffffff, true);
    view.setUint32(40, 0xffffffff, true);
  }
  // The audio always arrives chunked, as OpenAI sends it while it is being generated.
  const bytes = Buffer.from(audio);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += STREAM_CHUNK_BYTES) {
    chunks.push(bytes.subarray(offset, offset + STREAM_CHUNK_BYTES));
  }
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[format] ?? 'application/octet-stream',
      'x-request-id': `req_${randomBytes(16).toString('hex')}`,
    },
    chunks,
    chunkDelayMs: 5,
  };
}

function describeSpeech(request: SimulatorRequest): { voice?: string; text?: string } {
  const body = request.json as { voice?: unknown; input?: unknown } | undefined;
  return {
    ...(typeof body?.voice === 'string' ? { voice: body.voice } : {}),
    ...(typeof body?.input === 'string' ? { text: body.input } : {}),
  };
}

// --- routing ------------------------------------------------------------------------------------------------------

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/audio/speech',
    describe: describeSpeech,
    handle: (request) => speech(request),
  },
];

function routeOf(request: SimulatorRequest): Route | undefined {
  return ROUTES.find(
    (route) => route.method === request.method && route.path === request.path.replace(/\/$/, ''),
  );
}

export const openAiBehaviour: ProviderBehaviour = {
  name: 'openai',

  describe(request) {
    return routeOf(request)?.describe(request) ?? {};
  },

  faultResponse(kind) {
    switch (kind) {
      case 'server_error':
        return error(500, {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          param: null,
          code: null,
        });
      case 'rate_limited':
        return error(429, {
          message:
            'Rate limit reached for tts-1 in organization org-simulator on requests per min (RPM): Limit 50, Used 50, Requested 1. Please try again in 1.2s.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        });
      case 'quota_exceeded':
        return error(429, {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        });
      case 'auth':
        return error(401, {
          message:
            'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        });
    }
  },

  async handle(request, simulator) {
    if (!/^Bearer \S+/.test(request.headers.authorization ?? '')) {
      return error(401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    }
    const route = routeOf(request);
    if (!route) {
      const message = `Invalid URL (${request.method} ${request.path})`;
      return error(404, { message, type: 'invalid_request_error', param: null, code: null });
    }
    return route.handle(request, simulator);
  },
};

export function createOpenAiSimulator(): Simulator {
  return new Simulator(openAiBehaviour);
}
