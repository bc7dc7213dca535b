// A streaming route's way in: its function's own URL in RESPONSE_STREAM mode, as API Gateway HTTP APIs buffer answers.
import { CfnOutput, Duration } from 'aws-cdk-lib';
import { FunctionUrl, FunctionUrlAuthType, HttpMethod, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../functions/http/routes.ts';
import type { VoiceFunction } from './voice-function.ts';

/**
 * How long a streaming function may run. No API Gateway stands in front (its integrations stop at 29 s): a spoken
 * chat answer, written and voiced sentence by sentence, may take longer. The handler ends its stream with a `timeout`
 * event just before this.
 */
export const STREAMING_TIMEOUT = Duration.minutes(2);

export interface StreamingUrlProps {
  /** The route's function, whose handler is a `streamingHandler`. */
  fn: VoiceFunction;
  route: RouteDefinition;
  /** The stack output that names the route's URL, e.g. `ChatStreamUrl`. */
  outputName: string;
}

export class StreamingUrl extends Construct {
  readonly functionUrl: FunctionUrl;
  /** The route's URL: the function URL followed by the route's path, which the handler checks. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StreamingUrlProps) {
    super(scope, id);
    // No IAM auth: browsers and tenant apps call it with the same bearer token as the API, and the handler verifies
    // it with the same code as every route before anything streams (see docs/streaming.md).
    this.functionUrl = new FunctionUrl(this, 'Url', {
      function: props.fn,
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.RESPONSE_STREAM,
      // As the HTTP API's: any origin, since tokens, not cookies, carry identity.
      cors: {
        allowedOrigins: ['*'],
        allowedMethods: [HttpMethod[props.route.method]],
        allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
        exposedHeaders: ['x-request-id', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });
    this.url = `${this.functionUrl.url}${props.route.path.replace(/^\//, '')}`;

    new CfnOutput(this, 'Output', {
      value: this.url,
      description: `${props.route.method} ${props.route.path}, streamed as Server-Sent Events by a Lambda function URL`,
    }).overrideLogicalId(props.outputName);
  }
}
