// The ChatModel port: what the chat agent needs from a language model, and the errors it understands.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the offline model answers from, when no language model is configured. */
export interface PersonaHints {
  name: string;
  opening_phrases?: string[];
  product_transitions?: string[];
  closing_phrases?: string[];
  response_length?: 'short' | 'medium' | 'long';
}

export interface ChatRequest {
  /** System prompt first, then the trimmed history, then the customer's new message. */
  messages: ChatMessage[];
  /** Seeds any choice a model makes on its own (the offline model's phrases), so a reply can be reproduced. */
  seed: string;
  persona: PersonaHints;
  signal?: AbortSignal;
}

export interface ChatReply {
  text: string;
  model: string;
  /** Tokens the provider counted, when it says. */
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface ChatModel {
  /** `openai` for OpenAI or any OpenAI-compatible server; `offline` for the built-in phrase-bank model. */
  readonly name: 'openai' | 'offline';
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatReply>;
  /** The reply as text deltas, in order, as the model writes them. */
  stream(request: ChatRequest): AsyncIterable<string>;
}

/**
 * - retryable: 5xx, a dropped connection; rate_limited: 429 rate_limit_exceeded; timeout: no answer in time;
 * - quota_exceeded: 429 insufficient_quota; auth: 401/403; invalid_request: the model refused the input.
 */
export type ChatErrorKind =
  'retryable' | 'rate_limited' | 'timeout' | 'quota_exceeded' | 'auth' | 'invalid_request';

export class ChatModelError extends Error {
  override name = 'ChatModelError';
  constructor(
    readonly kind: ChatErrorKind,
    message: string,
    readonly details: { status?: number; providerCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }

  get transient(): boolean {
    return this.kind === 'retryable' || this.kind === 'rate_limited' || this.kind === 'timeout';
  }
}
