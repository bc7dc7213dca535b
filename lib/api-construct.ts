// The HTTP API: one function for every entry of the route table; an API Gateway route with the authorizer its access
// asks for, for each `api` entry, and a streaming function URL for each `function-url` entry (HTTP APIs cannot stream).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeList, type Access, type RouteDefinition, type RouteId } from '../functions/http/routes.ts';
import type { SpeechConstruct } from './speech-construct.ts';
import type { StorageConstruct } from './storage-construct.ts';
import { STREAMING_TIMEOUT, StreamingUrl } from './streaming-url.ts';
import { VoiceFunction } from './voice-function.ts';
import type { VoiceTrainingConstruct } from './voice-training-construct.ts';
import type { WebhooksConstruct } from './webhooks-construct.ts';

export interface ApiConstructProps {
  storage: StorageConstruct;
  /** Binds the routes that speak or list voices (`resources.speech`) to the provider keys, Polly and the usage queue. */
  speech: SpeechConstruct;
  /** Lets the routes that start voice trainings (`resources.training`) start executions of its state machine. */
  training: VoiceTrainingConstruct;
  /** Lets the routes that raise webhook events queue their deliveries. */
  webhooks: WebhooksConstruct;
  /** The issuer of trusted tokens: `https://cognito-idp.<region>.amazonaws.com/<user-pool-id>`. */
  jwtIssuer: string;
  /** The app client id tokens must be minted for. */
  jwtAudience: string;
}

/** Fields of one access-log line; `$context` variables of HTTP APIs. */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
};

/** The tenant routes' authorizer: it verifies an API key or a token with the same code as the handlers. */
const AUTHORIZER_ENTRY = 'functions/api-keys/handlers/authorizer.ts';

/** `listPersonalities` → `ListPersonalitiesFunction`: construct ids, and so logical ids, follow the route ids. */
const pascal = (routeId: RouteId) => `${routeId.charAt(0).toUpperCase()}${routeId.slice(1)}`;
const functionId = (routeId: RouteId) => `${pascal(routeId)}Function`;

export class ApiConstruct extends Construct {
  readonly httpApi: HttpApi;
  /** The API's base URL, ending in `/`. */
  readonly url: string;
  readonly functions: Record<RouteId, VoiceFunction>;
  /** The Lambda authorizer of the `tenant` routes. */
  readonly authorizerFunction: VoiceFunction;
  /** The streaming routes' URLs; each is also a stack output, `<RouteId>Url` (`chatStream` → `ChatStreamUrl`). */
  readonly streamingUrls: Partial<Record<RouteId, StreamingUrl>> = {};

  constructor(scope: Construct, id: string, props: ApiConstructProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Voice for AI personalities',
      createDefaultStage: true,
      // The console and tenant apps run on origins the operator does not know in advance; tokens, not cookies, carry
      // identity, so any origin may call.
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type', 'if-match', 'x-api-key'],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        exposeHeaders: ['etag', 'location', 'x-request-id', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });
    this.configureDefaultStage();

    const authEnvironment = { AUTH_ISSUER: props.jwtIssuer, AUTH_AUDIENCE: props.jwtAudience };
    const adminAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [props.jwtAudience],
    });
    this.authorizerFunction = new VoiceFunction(this, 'TenantAuthorizerFunction', {
      entry: AUTHORIZER_ENTRY,
      description: 'Lets a tenant route through with a valid tenant API key or a signed-in user’s token',
      // API Gateway waits 10 s for an authorizer before answering 500 itself.
      timeout: Duration.seconds(10),
      environment: authEnvironment,
    }).bindResources(props.storage, { table: 'readwrite' });
    const tenantAuthorizer = new HttpLambdaAuthorizer('TenantAuthorizer', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // None: a tenant route takes either `x-api-key` or `Authorization`, and an HTTP API answers 401 without calling
      // the authorizer when any identity source is missing. Without one API Gateway cannot cache either, so the
      // function keeps verified keys in memory for a short while instead.
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    const authorizers: Record<Access, HttpJwtAuthorizer | HttpLambdaAuthorizer | undefined> = {
      public: undefined,
      tenant: tenantAuthorizer,
      admin: adminAuthorizer,
    };

    const functions: Partial<Record<RouteId, VoiceFunction>> = {};
    for (const route of routeList) {
      const streaming = route.transport === 'function-url';
      const fn = new VoiceFunction(this, functionId(route.id), {
        entry: route.entry,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        environment: authEnvironment,
        ...(streaming ? { timeout: STREAMING_TIMEOUT } : {}),
      }).bindResources(props.storage, route.resources);
      if (route.resources.speech) props.speech.bindSpeaker(fn);
      if (route.resources.training) props.training.bindStarter(fn);
      if (raisesWebhookEvents(route)) props.webhooks.bindSender(fn);
      functions[route.id] = fn;

      if (streaming) {
        this.streamingUrls[route.id] = new StreamingUrl(this, `${pascal(route.id)}Url`, {
          fn,
          route,
          outputName: `${pascal(route.id)}Url`,
        });
        continue;
      }

      const authorizer = authorizers[route.access];
      const routes = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${functionId(route.id)}Integration`, fn),
        ...(authorizer ? { authorizer } : {}),
      });
      if (route.access === 'public') acknowledgePublic(routes);
    }
    this.functions = functions as Record<RouteId, VoiceFunction>;
    this.url = this.httpApi.url ?? this.httpApi.apiEndpoint;
  }

  /** Access logs as JSON lines and a throttle, set on the L1 stage that `createDefaultStage` made. */
  private configureDefaultStage(): void {
    const stage = this.httpApi.defaultStage?.node.defaultChild as CfnStage | undefined;
    if (!stage) throw new Error('The HTTP API has no default stage to configure');
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify(ACCESS_LOG_FORMAT),
    };
    // A ceiling for the whole stage, well below the account's regional quota, so a runaway client cannot exhaust it.
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };
  }
}

/**
 * Routes that queue webhook deliveries: those that say so, and those that speak, which may raise the budget warning.
 * A speaking route that cannot write the table (listing voices) records no delivery, so it queues none either.
 */
function raisesWebhookEvents(route: RouteDefinition): boolean {
  return Boolean(
    route.resources.webhooks || (route.resources.speech && route.resources.table === 'readwrite'),
  );
}

function acknowledgePublic(routes: HttpRoute[]): void {
  for (const route of routes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Public by design: the liveness check and the OpenAPI document carry no tenant data.',
    });
  }
}
