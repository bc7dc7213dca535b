// An OpenAI API simulator: POST /v1/audio/speech and POST /v1/chat/completions with OpenAI's validation and error
// bodies, so the `openai` SDK can be driven against it unchanged. Routes live in one table.
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

// --- chat completions ---------------------------------------------------------------------------------------------

const CHAT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'gpt-4.1-nano'];
const CHAT_ROLES = ['system', 'user', 'assistant', 'developer', 'tool'];
/** The request fields OpenAI documents for chat completions; anything else is refused, as OpenAI refuses it. */
const CHAT_FIELDS = new Set([
  ...['model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'n', 'stop', 'max_tokens'],
  ...[
    'max_completion_tokens',
    'presence_penalty',
    'frequency_penalty',
    'logit_bias',
    'logprobs',
    'top_logprobs',
  ],
  ...['seed', 'user', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'store', 'metadata'],
  ...['service_tier', 'reasoning_effort', 'modalities', 'audio', 'prediction', 'web_search_options'],
  ...['safety_identifier', 'prompt_cache_key', 'verbosity', 'functions', 'function_call'],
]);

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content?: unknown }>;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
}

const typeName = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : Number.isInteger(value)
        ? 'an integer'
        : typeof value === 'number'
          ? 'a decimal'
          : typeof value === 'string'
            ? 'a string'
            : `an ${typeof value}`;

/** A message's text: a string, or its text parts joined. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

function rangeError(field: string, value: unknown, min: number, max: number | undefined, integer: boolean) {
  const kind = integer ? 'integer' : 'decimal';
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
    return invalidRequest(
      `Invalid type for '${field}': expected ${integer ? 'an integer' : 'a decimal'}, but got ${typeName(value)} instead.`,
      field,
      'invalid_type',
    );
  }
  if (value < min) {
    return invalidRequest(
      `Invalid '${field}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      field,
      `${kind}_below_min_value`,
    );
  }
  if (max !== undefined && value > max) {
    return invalidRequest(
      `Invalid '${field}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      field,
      `${kind}_above_max_value`,
    );
  }
  return undefined;
}

/** The body checked in the order OpenAI checks it: its shape and fields first, then whether the model exists. */
function parseChat(request: SimulatorRequest): ChatBody | SimulatorResponse {
  const body = request.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return invalidRequest('We could not parse the JSON body of your request.');
  }
  const unknown = Object.keys(body).filter((field) => !CHAT_FIELDS.has(field));
  if (unknown.length) return invalidRequest(`Unrecognized request argument supplied: ${unknown.join(', ')}`);
  const { model, messages, stream = false, stream_options: streamOptions } = body;
  if (typeof model !== 'string' || model === '') return invalidRequest('you must provide a model parameter');
  if (messages === undefined) {
    return invalidRequest(
      "Missing required parameter: 'messages'.",
      'messages',
      'missing_required_parameter',
    );
  }
  if (!Array.isArray(messages)) {
    return invalidRequest(
      `Invalid type for 'messages': expected an array of objects, but got ${typeName(messages)} instead.`,
      'messages',
      'invalid_type',
    );
  }
  if (messages.length === 0) {
    return invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  for (const [index, message] of messages.entries()) {
    const at = `messages[${index}]`;
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      return invalidRequest(
        `Invalid type for '${at}': expected an object, but got ${typeName(message)} instead.`,
        at,
        'invalid_type',
      );
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role === undefined)
      return invalidRequest(
        `Missing required parameter: '${at}.role'.`,
        `${at}.role`,
        'missing_required_parameter',
      );
    if (typeof role !== 'string' || !CHAT_ROLES.includes(role)) {
      return invalidRequest(
        `Invalid value: '${String(role)}'. Supported values are: ${quoted(CHAT_ROLES)}.`,
        `${at}.role`,
        'invalid_value',
      );
    }
    // An assistant turn that only calls tools may leave its content out; every other turn needs it.
    if (content === undefined && role !== 'assistant') {
      return invalidRequest(
        `Missing required parameter: '${at}.content'.`,
        `${at}.content`,
        'missing_required_parameter',
      );
    }
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return invalidRequest(
        `Invalid type for '${at}.content': expected one of a string or array of objects, but got ${typeName(content)} instead.`,
        `${at}.content`,
        'invalid_type',
      );
    }
  }
  if (typeof stream !== 'boolean') {
    return invalidRequest(
      `Invalid type for 'stream': expected a boolean, but got ${typeName(stream)} instead.`,
      'stream',
      'invalid_type',
    );
  }
  if (streamOptions !== undefined && streamOptions !== null && !stream) {
    return invalidRequest(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    );
  }
  const ranges: Array<[string, number, number | undefined, boolean]> = [
    ['temperature', 0, 2, false],
    ['top_p', 0, 1, false],
    ['presence_penalty', -2, 2, false],
    ['frequency_penalty', -2, 2, false],
    ['max_tokens', 1, undefined, true],
    ['max_completion_tokens', 1, undefined, true],
    ['n', 1, 128, true],
  ];
  for (const [field, min, max, integer] of ranges) {
    if (body[field] === undefined || body[field] === null) continue;
    const refusal = rangeError(field, body[field], min, max, integer);
    if (refusal) return refusal;
  }
  if (!CHAT_MODELS.includes(model)) {
    return error(404, {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
  }
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return {
    model,
    messages: messages as ChatBody['messages'],
    stream,
    includeUsage: (streamOptions as { include_usage?: unknown } | undefined)?.include_usage === true,
    maxTokens: typeof limit === 'number' ? limit : undefined,
  };
}

/** Roughly how a tokenizer cuts text: words and single punctuation marks, each with the space before it. */
function tokens(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}'’]+|\s*[^\s\p{L}\p{N}'’]|\s+$/gu) ?? [];
}

/** The reply a test set, or one built from the request: the personality's name and the customer's last words. */
function chatReply(body: ChatBody, simulator: Simulator): string {
  const set = simulator.state.get('chatReply');
  if (typeof set === 'string') return set;
  const system = body.messages.find((message) => message.role === 'system' || message.role === 'developer');
  const name = /You are ([^,.\n]+),/.exec(textOf(system?.content))?.[1]?.trim();
  const last = textOf(body.messages.findLast((message) => message.role === 'user')?.content).trim();
  const words = last.split(/\s+/).filter(Boolean);
  const quote = words.length > 12 ? `${words.slice(0, 12).join(' ')}…` : words.join(' ');
  return [
    name ? `Hi, ${name} here.` : 'Hi there.',
    quote ? `You said: "${quote}".` : 'You did not say anything yet.',
    'This is the simulator answering, so the reply is built from your message alone.',
    'Ask me anything else whenever you like.',
  ].join(' ');
}

async function chatCompletions(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse> {
  const body = parseChat(request);
  if ('status' in body) return body;
  const all = tokens(chatReply(body, simulator));
  const cut = body.maxTokens !== undefined && all.length > body.maxTokens;
  const pieces = cut ? all.slice(0, body.maxTokens) : all;
  const finishReason = cut ? 'length' : 'stop';
  const promptTokens = body.messages.reduce(
    (sum, message) => sum + tokens(textOf(message.content)).length + 4,
    0,
  );
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: pieces.length,
    total_tokens: promptTokens + pieces.length,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const common = {
    id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    service_tier: 'default',
    system_fingerprint: 'fp_simulator',
  };
  const headers = { 'x-request-id': `req_${randomBytes(16).toString('hex')}` };
  if (!body.stream) {
    const message = { role: 'assistant', content: pieces.join(''), refusal: null, annotations: [] };
    return {
      status: 200,
      headers,
      body: {
        ...common,
        object: 'chat.completion',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
      },
    };
  }
  // One SSE event per token, as OpenAI streams them: the role first, the text, the finish, then [DONE].
  const chunk = (delta: object, finish: string | null) => ({
    ...common,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(body.includeUsage ? { usage: null } : {}),
  });
  const events: object[] = [
    chunk({ role: 'assistant', content: '', refusal: null }, null),
    ...pieces.map((piece) => chunk({ content: piece }, null)),
    chunk({}, finishReason),
    ...(body.includeUsage ? [{ ...common, object: 'chat.completion.chunk', choices: [], usage }] : []),
  ];
  const tokenDelayMs = simulator.state.get('tokenDelayMs');
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    chunks: [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'].map((line) =>
      Buffer.from(line),
    ),
    chunkDelayMs: typeof tokenDelayMs === 'number' ? tokenDelayMs : 0,
  };
}

/** The last user message is the record's text, so a test finds the requests its own message caused. */
function describeChat(request: SimulatorRequest): { text?: string } {
  const messages = (request.json as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return {};
  const last = messages.findLast((message: { role?: unknown }) => message?.role === 'user') as
    { content?: unknown } | undefined;
  return last ? { text: textOf(last.content) } : {};
}

// --- routing ------------------------------------------------------------------------------------------------------

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/audio/speech',
    describe: describeSpeech,
    handle: (request) => speech(request),
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    describe: describeChat,
    handle: (request, simulator) => chatCompletions(request, simulator),
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
