// The OpenAI chat adapter: the ChatModel port over the `openai` SDK's chat.completions.create, whole or streamed.
// Works with OpenAI or any OpenAI-compatible server at `baseUrl` (the simulator in tests).
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  ChatModelError,
  type ChatErrorKind,
  type ChatModel,
  type ChatReply,
  type ChatRequest,
} from './port.ts';

export interface OpenAiChatOptions {
  apiKey: string;
  /** The API base including `/v1`, as OPENAI_BASE_URL is written, e.g. `http://127.0.0.1:port/v1`. */
  baseUrl?: string;
  model: string;
  /** Time allowed until the answer's headers arrive, and, while streaming, between two chunks. */
  timeoutMs: number;
}

/** The pause before the one retry: long enough for a blip to pass, short enough that a customer barely notices. */
const RETRY_PAUSE_MS = 300;
const RETRY_JITTER_MS = 100;
/** A rate limit that asks for a longer wait than this is handed to the caller rather than waited out here. */
const MAX_RETRY_WAIT_MS = 2_000;

export function createOpenAiChatModel(options: OpenAiChatOptions): ChatModel {
  // The adapter owns its single retry (below): the SDK's two hidden retries would triple a customer's wait.
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
  });
  const { model } = options;

  async function completeOnce(request: ChatRequest): Promise<ChatReply> {
    const completion = await client.chat.completions.create(
      { model, messages: request.messages },
      request.signal ? { signal: request.signal } : {},
    );
    const choice = completion.choices[0];
    const text = choice?.message.content ?? '';
    if (choice?.message.refusal || (text === '' && choice?.finish_reason === 'content_filter')) {
      throw new ChatModelError('invalid_request', 'OpenAI declined to answer this conversation', {
        providerCode: 'content_filter',
      });
    }
    return {
      text,
      model: completion.model || model,
      ...(completion.usage
        ? {
            usage: {
              prompt_tokens: completion.usage.prompt_tokens,
              completion_tokens: completion.usage.completion_tokens,
            },
          }
        : {}),
    };
  }

  /** One streamed request's text pieces; a stall longer than timeoutMs between chunks ends it as a timeout. */
  async function* streamOnce(request: ChatRequest): AsyncGenerator<string> {
    const idle = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, idle.signal]) : idle.signal;
    let watchdog: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => idle.abort(), options.timeoutMs);
    };
    try {
      const stream = await client.chat.completions.create(
        { model, messages: request.messages, stream: true },
        { signal },
      );
      rearm();
      let finished = false;
      for await (const chunk of stream) {
        rearm();
        const choice = chunk.choices[0];
        const piece = choice?.delta.content;
        if (piece) yield piece;
        if (choice?.finish_reason) finished = true;
      }
      // The SDK ends an aborted stream quietly, as if it were complete: tell the two apart here.
      if (request.signal?.aborted) throw new APIUserAbortError();
      if (idle.signal.aborted) {
        throw new ChatModelError('timeout', `OpenAI stopped sending for ${options.timeoutMs} ms`);
      }
      if (!finished)
        throw new ChatModelError('retryable', 'OpenAI ended the stream before the reply was done');
    } finally {
      clearTimeout(watchdog);
    }
  }

  return {
    name: 'openai',
    model,

    async complete(request: ChatRequest): Promise<ChatReply> {
      try {
        return await completeOnce(request);
      } catch (error) {
        const failure = toChatModelError(error, request.signal);
        await pauseBeforeRetry(failure, request.signal);
        try {
          return await completeOnce(request);
        } catch (second) {
          throw toChatModelError(second, request.signal);
        }
      }
    },

    async *stream(request: ChatRequest): AsyncIterable<string> {
      for (let attempt = 1; ; attempt += 1) {
        let sent = false;
        try {
          for await (const piece of streamOnce(request)) {
            sent = true;
            yield piece;
          }
          return;
        } catch (error) {
          const failure = toChatModelError(error, request.signal);
          // Retrying after text went out would make the customer read (and hear) the start twice.
          if (sent) throw brokenAfterText(failure);
          if (attempt > 1) throw failure;
          await pauseBeforeRetry(failure, request.signal);
        }
      }
    },
  };
}

/** A stream cut after some text: the reply is incomplete, and only a new request (by the caller) can mend it. */
function brokenAfterText(failure: ChatModelError): ChatModelError {
  if (failure.kind === 'retryable' || failure.kind === 'timeout') return failure;
  return new ChatModelError('retryable', `OpenAI stream broke off: ${failure.message}`, failure.details);
}

/**
 * Waits before the one retry, or throws `failure` when it is not worth one. A timeout is not retried: the deadline
 * is the customer's patience, and a second full wait would double it.
 */
async function pauseBeforeRetry(failure: ChatModelError, signal: AbortSignal | undefined): Promise<void> {
  if (failure.kind !== 'retryable' && failure.kind !== 'rate_limited') throw failure;
  const asked = failure.kind === 'rate_limited' ? retryAfterMs(failure.details.cause) : undefined;
  if (asked !== undefined && asked > MAX_RETRY_WAIT_MS) throw failure;
  const jitter = (Math.random() * 2 - 1) * RETRY_JITTER_MS;
  const wait = Math.max(asked ?? 0, RETRY_PAUSE_MS + jitter);
  if (signal?.aborted) throw toChatModelError(new APIUserAbortError(), signal);
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(toChatModelError(new APIUserAbortError(), signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, wait);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** OpenAI's own `retry-after-ms` first, then the standard Retry-After in seconds. */
function retryAfterMs(cause: unknown): number | undefined {
  if (!(cause instanceof APIError) || !cause.headers) return undefined;
  const milliseconds = Number(cause.headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const seconds = Number(cause.headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;
}

function kindOf(error: APIError): ChatErrorKind {
  const code = error.code ?? error.type;
  // Both arrive as 429: a spent quota is never retried, a rate limit is.
  if (code === 'insufficient_quota') return 'quota_exceeded';
  if (error.status === 429 || code === 'rate_limit_exceeded') return 'rate_limited';
  // An error event inside a stream has no status: the server failed mid-answer.
  if (error.status === undefined || error.status >= 500) return 'retryable';
  if (error.status === 408) return 'timeout';
  if (error.status === 401 || error.status === 403) return 'auth';
  // 404 is an unknown model (or one this key may not use), 400/422 a request the API will never take.
  return 'invalid_request';
}

/** Any failure of an SDK call, in the port's terms. */
export function toChatModelError(error: unknown, signal?: AbortSignal): ChatModelError {
  if (error instanceof ChatModelError) return error;
  const details = { cause: error };
  if (signal?.aborted || error instanceof APIUserAbortError) {
    return new ChatModelError('timeout', 'OpenAI call aborted by the caller', details);
  }
  // Order matters: the timeout error is a kind of connection error.
  if (error instanceof APIConnectionTimeoutError) {
    return new ChatModelError('timeout', 'OpenAI did not answer in time', details);
  }
  if (error instanceof APIConnectionError) {
    return new ChatModelError('retryable', `OpenAI connection failed: ${error.message}`, details);
  }
  if (error instanceof APIError) {
    const code = error.code ?? error.type;
    return new ChatModelError(kindOf(error), `OpenAI answered ${error.message}`, {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(code ? { providerCode: code } : {}),
      ...details,
    });
  }
  // The SSE body broke off after the headers (the socket closed, the proxy gave up).
  const reason = error instanceof Error ? error.message : String(error);
  return new ChatModelError('retryable', `OpenAI call failed: ${reason}`, details);
}
