// The console's only way to the HTTP API: JSON in and out with the session's bearer token, errors as ApiError.

/** An API answer that was not a success, or a request that never reached the API (status 0). */
export class ApiError extends Error {
  status: number;
  code: string;
  details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

interface ApiTarget {
  /** Where the API lives; empty when the console is served by the same origin (the local gateway). */
  baseUrl: string;
  /** The current ID token; the session refreshes it before it expires. */
  token: () => Promise<string | undefined>;
  /** Full URLs of the streaming routes where they are not under `baseUrl` (Lambda function URLs in AWS). */
  streamUrls?: Record<string, string>;
}

let target: ApiTarget = { baseUrl: '', token: async () => undefined };

/** The streaming route's own URL when the settings name one for `path`, else the API's. */
function streamUrlOf(path: string): string | undefined {
  return Object.values(target.streamUrls ?? {}).find((url) => {
    try {
      return new URL(url).pathname === path;
    } catch {
      return false;
    }
  });
}

/** Called by the session once it knows the API's address and how to get a token. */
export function configureApi(next: ApiTarget): void {
  target = next;
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(
  path: string,
  options: ApiOptions,
  accept: string,
  url = `${target.baseUrl}${path}`,
): Promise<Response> {
  const headers: Record<string, string> = { accept, ...options.headers };
  const token = await target.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'The API could not be reached. Check your connection and retry.');
  }
}

/** Turns a failed answer into an ApiError, reading the API's `{"error":{code,message,details}}` body when present. */
async function failure(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: unknown };
      message?: string;
    };
    if (parsed.error?.message) {
      return new ApiError(
        response.status,
        parsed.error.code ?? 'error',
        parsed.error.message,
        parsed.error.details,
      );
    }
    // API Gateway's own answers (404 of an unknown route, 401 of the authorizer) carry only `message`.
    if (parsed.message) return new ApiError(response.status, `http_${response.status}`, parsed.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `The API answered ${response.status} ${response.statusText}`.trim(),
  );
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * POSTs `body` and reads the answer as `text/event-stream`, calling `onEvent` once per frame with its JSON data.
 * An error answer before the stream starts is an ApiError; a frame whose data is not JSON is passed as a string.
 */
export async function streamSse(
  path: string,
  body: unknown,
  // Event payloads differ per event name; the caller narrows them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onEvent: (event: string, data: any) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await send(
    path,
    { method: 'POST', body, ...(signal ? { signal } : {}) },
    'text/event-stream',
    streamUrlOf(path),
  );
  if (!response.ok) throw await failure(response);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const dispatch = (frame: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    const raw = data.join('\n');
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // a plain-text frame
    }
    onEvent(event, parsed);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  if (buffer.trim()) dispatch(buffer);
}
