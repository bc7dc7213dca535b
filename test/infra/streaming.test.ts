// A streaming route in the stack: with a test-only `function-url` route added to the route table, the platform gets a
// streaming function URL and an output for it instead of an API Gateway route, and cdk-nag still finds nothing.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteId } from '../../functions/http/routes.ts';
import { STREAMING_TIMEOUT } from '../../lib/streaming-url.ts';
import {
  functionUrlOf,
  logicalId,
  platform,
  resource,
  streamingOutputName,
  synthesizePlatform,
  synthesized,
} from './platform.ts';

const STREAM_ID = 'tickerStream' as RouteId;

vi.mock('../../functions/http/routes.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../functions/http/routes.ts')>();
  const { tickerRoute } = await import('../integration/fixtures/ticker.ts');
  const streamRoute = { ...tickerRoute, path: '/api/test/ticks', access: 'tenant' as const };
  return {
    ...actual,
    routes: { ...actual.routes, tickerStream: streamRoute },
    routeList: [...actual.routeList, { ...streamRoute, id: 'tickerStream' }],
  };
});

beforeAll(() => {
  synthesizePlatform();
}, 120_000);

describe('a function-url route', () => {
  it('gets no API Gateway route', () => {
    const found = synthesized().findResources('AWS::ApiGatewayV2::Route', {
      Properties: { RouteKey: 'POST /api/test/ticks' },
    });

    expect(Object.keys(found)).toEqual([]);
  });

  it('gets a streaming function URL with no IAM auth and the API’s CORS rules', () => {
    expect(functionUrlOf(STREAM_ID)?.Properties).toEqual({
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(platform().stack.api.functions[STREAM_ID]), 'Arn'] },
      AuthType: 'NONE',
      InvokeMode: 'RESPONSE_STREAM',
      Cors: {
        AllowOrigins: ['*'],
        AllowMethods: ['POST'],
        AllowHeaders: ['authorization', 'content-type', 'x-api-key'],
        ExposeHeaders: ['x-request-id', 'retry-after'],
        MaxAge: 3600,
      },
    });
  });

  it('lets anyone reach the function through its URL only', () => {
    const fn = logicalId(platform().stack.api.functions[STREAM_ID]);
    const permissions = Object.values(
      synthesized().findResources('AWS::Lambda::Permission', {
        Properties: { FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] }, Principal: '*' },
      }),
    ).map((permission) => permission.Properties);

    expect(permissions).toHaveLength(2);
    expect(permissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' }),
        expect.objectContaining({ Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true }),
      ]),
    );
  });

  it('runs up to the streaming timeout, with the token issuer and audience to verify', () => {
    const fn = resource(platform().stack.api.functions[STREAM_ID]).Properties;

    expect(fn.Timeout).toBe(STREAMING_TIMEOUT.toSeconds());
    const { auth } = platform().stack;
    expect((fn.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      AUTH_ISSUER: { 'Fn::Join': ['', expect.arrayContaining([{ Ref: logicalId(auth.userPool) }])] },
      AUTH_AUDIENCE: { Ref: logicalId(auth.consoleClient) },
    });
  });

  it('is named in a stack output: the function URL followed by the route’s path', () => {
    const url = platform().stack.api.streamingUrls[STREAM_ID]!.functionUrl;

    synthesized().hasOutput(streamingOutputName(STREAM_ID), {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(url), 'FunctionUrl'] }, 'api/test/ticks']] },
    });
  });

  it('leaves cdk-nag with no error to report', () => {
    const { app, synthError } = platform();
    const errors = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((violation) => (violation.severity ?? 'error') === 'error')
      .map(
        (violation) =>
          `${violation.ruleName}: ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );

    expect(errors).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});
