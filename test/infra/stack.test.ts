// The platform stack as CloudFormation: storage settings, one route per route-table entry, least privilege, cdk-nag.
// What speaking adds (the provider keys, Polly, the usage queue) is checked in speech.test.ts.
import { describe, it, expect, beforeAll } from 'vitest';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routeList } from '../../functions/http/routes.ts';
import { AUDIO_CACHE_PREFIX as RUNTIME_AUDIO_CACHE_PREFIX } from '../../functions/store/objects.ts';
import { TABLE_KEYS } from '../../functions/store/models.ts';
import { TRAINING_TASKS } from '../../functions/training/training-tasks.ts';
import { AUDIO_CACHE_PREFIX } from '../../lib/storage-construct.ts';
import { STREAMING_TIMEOUT } from '../../lib/streaming-url.ts';
import { PARTITION_KEY, SORT_KEY, TIME_TO_LIVE_ATTRIBUTE } from '../../lib/table-keys.ts';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import {
  actionsOf,
  environmentOf,
  functionUrlOf,
  logicalId,
  platform,
  resource,
  resourcesFor,
  streamingOutputName,
  synthesizePlatform,
  synthesized,
} from './platform.ts';

/** Routes behind API Gateway, and streaming routes, each behind its own function URL (docs/streaming.md). */
const apiRoutes = routeList.filter((route) => (route.transport ?? 'api') === 'api');
const streamingRoutes = routeList.filter((route) => route.transport === 'function-url');

let stack: VoicePlatformStack;

/**
 * CDK's own deploy-time handler that sets bucket notifications (Python, with AWSLambdaBasicExecutionRole, acknowledged
 * in lib/voice-training-construct.ts): not one of the platform's functions.
 */
const isBucketNotificationsHandler = (logicalId: string) =>
  logicalId.startsWith('BucketNotificationsHandler');

/** CDK's own deploy-time handler that copies the console into its bucket (Python, lib/console-construct.ts). */
const isBucketDeploymentHandler = (logicalId: string) => logicalId.startsWith('CustomCDKBucketDeployment');

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 60_000);

describe('storage', () => {
  it('uses the key names and cache prefix that the runtime and the local stack use', () => {
    expect({ partitionKey: PARTITION_KEY, sortKey: SORT_KEY, timeToLive: TIME_TO_LIVE_ATTRIBUTE }).toEqual(
      TABLE_KEYS,
    );
    expect(AUDIO_CACHE_PREFIX).toBe(RUNTIME_AUDIO_CACHE_PREFIX);
  });

  it('keeps one table keyed pk/sk, on demand, with point-in-time recovery, TTL and encryption, retained', () => {
    synthesized().hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: SORT_KEY, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });

  it.each(['samples', 'audio'] as const)(
    'keeps the %s bucket private, encrypted, logged and TLS-only',
    (name) => {
      const bucket = stack.storage[name];
      expect(resource(bucket).Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(stack.storage.accessLogs) },
          LogFilePrefix: `${name}/`,
        },
      });
      synthesized().hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    },
  );

  it('expires cached audio after 30 days and lets browsers POST samples', () => {
    expect(resource(stack.storage.audio).Properties).toMatchObject({
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({ Prefix: AUDIO_CACHE_PREFIX, ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
    expect(resource(stack.storage.samples).Properties).toMatchObject({
      CorsConfiguration: { CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'] })] },
    });
  });
});

describe('HTTP API', () => {
  it('has exactly one API Gateway route per api entry of the route table', () => {
    synthesized().resourceCountIs('AWS::ApiGatewayV2::Route', apiRoutes.length);
  });

  it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route.access] as const))(
    'routes %s (%s) with the right authorization',
    (routeKey, access) => {
      const found = synthesized().findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: routeKey },
      });
      expect(Object.keys(found)).toHaveLength(1);
      const [route] = Object.values(found);
      // auth.test.ts checks which authorizer each one is.
      const expected = { public: 'NONE', tenant: 'CUSTOM', admin: 'JWT' } as const;
      expect(route?.Properties.AuthorizationType).toBe(expected[access]);
    },
  );

  it('has exactly one function URL per streaming entry, and none elsewhere', () => {
    synthesized().resourceCountIs('AWS::Lambda::Url', streamingRoutes.length);
    for (const route of apiRoutes) expect(functionUrlOf(route.id), route.id).toBeUndefined();
  });

  it.each(streamingRoutes.map((route) => [route.id, `${route.method} ${route.path}`] as const))(
    'serves %s (%s) through a streaming function URL, not API Gateway, and outputs its URL',
    (routeId, routeKey) => {
      const route = routeList.find((candidate) => candidate.id === routeId)!;
      expect(functionUrlOf(routeId)?.Properties).toMatchObject({
        InvokeMode: 'RESPONSE_STREAM',
        // The handler verifies the JWT, as every route's does.
        AuthType: 'NONE',
        Cors: {
          AllowOrigins: ['*'],
          AllowMethods: [route.method],
          AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'x-api-key']),
        },
      });
      const apiRoute = synthesized().findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: routeKey },
      });
      expect(Object.keys(apiRoute)).toEqual([]);
      synthesized().hasOutput(streamingOutputName(routeId), {
        Value: { 'Fn::Join': ['', [Match.anyValue(), route.path.slice(1)]] },
      });
    },
  );

  it("trusts JWTs of the stack's user pool, minted for its console client", () => {
    synthesized().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack.auth.userPool) }])] },
        Audience: [{ Ref: logicalId(stack.auth.consoleClient) }],
      },
    });
  });

  it('logs every request as JSON and throttles the default stage', () => {
    synthesized().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it('outputs the URL, the table, the bucket names and the provider keys secret', () => {
    for (const output of [
      'ApiUrl',
      'UserPoolId',
      'UserPoolClientId',
      'AuthIssuer',
      'TableName',
      'SamplesBucketName',
      'AudioBucketName',
      'ProviderKeysSecretArn',
    ]) {
      synthesized().hasOutput(output, {});
    }
  });
});

describe('functions', () => {
  it('run every handler on Node.js 24, arm64, with the configuration the runtime requires', () => {
    const functions = Object.entries(synthesized().findResources('AWS::Lambda::Function'))
      .filter(([id]) => !isBucketNotificationsHandler(id) && !isBucketDeploymentHandler(id))
      .map(([, fn]) => fn);
    // One function per route, the tenant authorizer, the usage replayer, the webhook deliverer, one per training task
    // and the sample validator.
    expect(functions).toHaveLength(routeList.length + 3 + Object.keys(TRAINING_TASKS).length + 1);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'SAMPLES_BUCKET', 'AUDIO_BUCKET', 'AUTH_ISSUER']),
      );
    }
  });

  it.each(apiRoutes.map((route) => [route.id]))(
    '%s stops when API Gateway does (29 s) and knows the token audience',
    (routeId) => {
      const fn = stack.api.functions[routeId];
      expect(resource(fn).Properties.Timeout).toBe(29);
      expect(environmentOf(fn)).toHaveProperty('AUTH_AUDIENCE');
    },
  );

  it.each(streamingRoutes.map((route) => [route.id]))(
    '%s streams for up to the streaming timeout and knows the token issuer and audience',
    (routeId) => {
      const fn = stack.api.functions[routeId];
      expect(resource(fn).Properties.Timeout).toBe(STREAMING_TIMEOUT.toSeconds());
      expect(environmentOf(fn)).toHaveProperty('AUTH_ISSUER');
      expect(environmentOf(fn)).toHaveProperty('AUTH_AUDIENCE');
    },
  );

  it('gives no role of ours a managed policy: each writes to its own log group only', () => {
    for (const [id, role] of Object.entries(synthesized().findResources('AWS::IAM::Role'))) {
      if (isBucketNotificationsHandler(id)) continue;
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it.each(
    routeList.filter((route) => route.resources.table).map((route) => [route.id, route.resources.table]),
  )('%s may %s the table, and no more', (routeId, access) => {
    const actions = actionsOf(routeId);
    expect(actions).toContain('dynamodb:GetItem');
    if (access === 'readwrite') expect(actions).toContain('dynamodb:PutItem');
    else expect(actions).not.toContain('dynamodb:PutItem');
  });

  it.each(routeList.map((route) => [route.id, route.resources] as const))(
    '%s reaches only the bucket objects it asks for',
    (routeId, resources) => {
      for (const name of ['samples', 'audio'] as const) {
        const bucketArn = { 'Fn::GetAtt': [logicalId(stack.storage[name]), 'Arn'] };
        const objects = { 'Fn::Join': ['', [bucketArn, '/*']] };
        const access = resources[name];
        // HeadObject (a cache lookup) is authorised by GetObject; ListBucket makes a missing object a 404, not a 403.
        const expected = {
          's3:GetObject': access !== undefined,
          's3:ListBucket': access !== undefined,
          's3:PutObject': access === 'readwrite',
          's3:DeleteObject': access === 'readwrite',
        };
        for (const [action, granted] of Object.entries(expected)) {
          const target = action === 's3:ListBucket' ? bucketArn : objects;
          const matcher = expect(resourcesFor(routeId, action));
          if (granted) matcher.toContainEqual(target);
          else matcher.not.toContainEqual(target);
        }
      }
      const s3Actions = actionsOf(routeId).filter((action) => action.startsWith('s3:'));
      if (!resources.samples && !resources.audio) expect(s3Actions).toEqual([]);
      else
        for (const action of s3Actions)
          expect(['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject']).toContain(action);
    },
  );

  it('keeps every log group for a month', () => {
    const logGroups = Object.values(synthesized().findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThan(routeList.length);
    for (const logGroup of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(30);
  });
});

describe('cdk-nag', () => {
  it('finds no AwsSolutions error or warning; what is left is listed', () => {
    const { app, template, synthError } = platform();
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((where) => ({
        rule: violation.ruleName,
        severity: violation.severity ?? 'error',
        path: where.constructPath ?? '?',
        message: violation.description,
      })),
    );
    // cdk-nag 3 reports through the validation framework; CDK's own annotations are listed beside its findings.
    let annotations: { rule: string; severity: string; path: string; message: string }[] = [];
    if (template) {
      const fromStack = Annotations.fromStack(stack);
      const nag = Match.stringLikeRegexp('AwsSolutions-.*');
      annotations = [
        ...fromStack.findError('*', nag).map((a) => ({ ...a, severity: 'error' })),
        ...fromStack.findWarning('*', Match.anyValue()).map((a) => ({ ...a, severity: 'warning' })),
      ].map((a) => ({ rule: a.entry.type, severity: a.severity, path: a.id, message: String(a.entry.data) }));
    }
    const listed = [...findings, ...annotations];
    console.log(
      listed.length === 0
        ? 'cdk-nag AwsSolutions: no findings'
        : `cdk-nag AwsSolutions findings:\n${listed.map((f) => `  ${f.severity} ${f.rule} ${f.path}: ${f.message}`).join('\n')}`,
    );

    expect(findings).toEqual([]);
    expect(annotations.filter((f) => f.severity === 'error' || /AwsSolutions-/.test(f.message))).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});
