// The Lambda runtime's `awslambda` global for streaming handlers, stood in for locally, and the response stream the
// local gateway hands them: status and headers from the prelude, then every write straight to the socket.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
// Types only: importing the module would create the handlers' logger before the local stack has set its log level.
import type {
  AwsLambdaRuntime,
  LambdaResponseStream,
  ResponsePrelude,
  StreamingLambdaHandler,
} from '../functions/http/streaming.ts';

/** The mark the runtime's `streamifyResponse` puts on a handler (`STREAMING_HANDLER_MARK` in streaming.ts). */
const STREAMING_HANDLER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming');

const PRELUDE = Symbol('awslambda.prelude');

type WithPrelude = { [PRELUDE]?: ResponsePrelude };

/** The status and headers `HttpResponseStream.from` recorded on a stream, if it was called. */
export function preludeOf(stream: object): ResponsePrelude | undefined {
  return (stream as WithPrelude)[PRELUDE];
}

/**
 * What the runtime does, minus the wire format: in Lambda `from` makes the first write send the prelude as JSON and
 * 8 null bytes; here it records the prelude on the stream, for the gateway's stream (or a test's) to read.
 */
const localRuntime: AwsLambdaRuntime = {
  streamifyResponse: (handler) => Object.assign(handler, { [STREAMING_HANDLER_MARK]: 'response' }),
  HttpResponseStream: {
    from(stream: LambdaResponseStream, prelude: ResponsePrelude) {
      (stream as WithPrelude)[PRELUDE] = prelude;
      return stream;
    },
  },
};

// Member by member: the AWS SDK and Powertools (@aws/lambda-invoke-store) may already have set `awslambda = {}` to keep
// their own state on it, and the real runtime's members, where present, win.
const scope = globalThis as unknown as { awslambda?: Partial<AwsLambdaRuntime> };
scope.awslambda ??= {};
scope.awslambda.streamifyResponse ??= localRuntime.streamifyResponse;
scope.awslambda.HttpResponseStream ??= localRuntime.HttpResponseStream;

export function isStreamingHandler(handler: unknown): handler is StreamingLambdaHandler {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[STREAMING_HANDLER_MARK] === 'response'
  );
}

/** What API Gateway sends with every answer locally; a function URL's CORS settings do the same in AWS. */
export const LOCAL_CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'etag, location, x-request-id, retry-after',
};

/**
 * A streaming handler's response stream on the local gateway. On the first write (or on end) it writes the HTTP
 * head from the prelude (200 when none was set); every chunk then goes straight to the socket. When the client goes
 * away the stream is destroyed, so the handler's writes fail quietly and its `closed` turns true.
 */
export class LocalResponseStream extends Writable {
  readonly #response: ServerResponse;

  constructor(response: ServerResponse) {
    super({ decodeStrings: false });
    this.#response = response;
    response.on('close', () => {
      if (!response.writableFinished && !this.destroyed) this.destroy();
    });
  }

  #head(): void {
    if (this.#response.headersSent) return;
    const prelude = preludeOf(this);
    const headers: Record<string, string | string[]> = {
      ...LOCAL_CORS_HEADERS,
      // Tells proxies in front of the laptop (nginx and the like) not to hold the stream back.
      'x-accel-buffering': 'no',
      ...prelude?.headers,
    };
    if (prelude?.cookies?.length) headers['set-cookie'] = prelude.cookies;
    this.#response.writeHead(prelude?.statusCode ?? 200, headers);
    this.#response.flushHeaders();
  }

  override _write(
    chunk: Buffer | string,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#head();
    if (chunk.length === 0) {
      callback();
      return;
    }
    // Written at once, not gathered: each event reaches the client when the handler sends it.
    if (typeof chunk === 'string') this.#response.write(chunk, encoding);
    else this.#response.write(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#head();
    this.#response.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#response.writableEnded) this.#response.destroy();
    callback(error);
  }
}
