// The platform stack as CloudFormation: storage settings, one route per route-table entry, least privilege, cdk-nag.
import { describe, it, expect, beforeAll } from 'vitest';
import { App, CfnElement, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routeList } from '../../functions/http/routes.ts';
import { AUDIO_CACHE_PREFIX as RUNTIME_AUDIO_CACHE_PREFIX } from '../../functions/store/objects.ts';
import { TABLE_KEYS } from '../../functions/store/models.ts';
import { AUDIO_CACHE_PREFIX } from '../../lib/storage-construct.ts';
import { PARTITION_KEY, SORT_KEY, TIME_TO_LIVE_ATTRIBUTE } from '../../lib/table-keys.ts';
import { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

let app: App;
let stack: VoicePlatformStack;
let template: Template | undefined;
let synthError: string | undefined;

beforeAll(() => {
  // Bundling skipped: these tests read the template, not the handlers' code (whose entry files must still exist).
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new VoicePlatformStack(app, 'VoicePlatform');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    template = Template.fromStack(stack);
  } catch (error) {
    // cdk-nag errors stop synthesis; keep the report so the cdk-nag test can show it.
    synthError = (error as Error).message;
  }
}, 60_000);

function synthesized(): Template {
  if (!template) throw new Error(`The stack did not synthesize:\n${synthError}`);
  return template;
}

function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return stack.resolve(resource.logicalId) as string;
}

function resource(construct: IConstruct): Resource {
  const found = synthesized().toJSON().Resources[logicalId(construct)] as Resource | undefined;
  if (!found) throw new Error(`${construct.node.path} is not in the template`);
  return found;
}

/** Every IAM action granted to a function's role, across its policies. */
function actionsOf(routeId: (typeof routeList)[number]['id']): string[] {
  const role = stack.api.functions[routeId].role;
  if (!role) throw new Error(`${routeId} has no role`);
  const policies = synthesized().findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: logicalId(role) }]) },
  });
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action),
  );
}

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
  it('has exactly one API Gateway route per route-table entry', () => {
    synthesized().resourceCountIs('AWS::ApiGatewayV2::Route', routeList.length);
  });

  it.each(routeList.map((route) => [`${route.method} ${route.path}`, route.access] as const))(
    'routes %s (%s) with the right authorization',
    (routeKey, access) => {
      const found = synthesized().findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: routeKey },
      });
      expect(Object.keys(found)).toHaveLength(1);
      const [route] = Object.values(found);
      expect(route?.Properties.AuthorizationType).toBe(access === 'public' ? 'NONE' : 'JWT');
    },
  );

  it('trusts JWTs of the issuer and audience given as parameters', () => {
    synthesized().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: [{ Ref: 'JwtAudience' }] },
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

  it('outputs the URL, the table and the bucket names', () => {
    for (const output of ['ApiUrl', 'TableName', 'SamplesBucketName', 'AudioBucketName']) {
      synthesized().hasOutput(output, {});
    }
  });
});

describe('functions', () => {
  it('run every handler on Node.js 24, arm64, with the configuration the runtime requires', () => {
    const functions = Object.values(synthesized().findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(routeList.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 29,
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'SAMPLES_BUCKET',
          'AUDIO_BUCKET',
          'AUTH_ISSUER',
          'AUTH_AUDIENCE',
        ]),
      );
    }
  });

  it('gives no role a managed policy: each writes to its own log group only', () => {
    for (const role of Object.values(synthesized().findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it.each(
    routeList.filter((route) => route.resources.table).map((route) => [route.id, route.resources.table]),
  )('%s may %s the table, and no more', (routeId, access) => {
    const actions = actionsOf(routeId);
    expect(actions).toContain('dynamodb:GetItem');
    if (access === 'readwrite') expect(actions).toContain('dynamodb:PutItem');
    else expect(actions).not.toContain('dynamodb:PutItem');
    // No route asks for the buckets yet, so none may touch their objects.
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
  });

  it('keeps every log group for a month', () => {
    const logGroups = Object.values(synthesized().findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThan(routeList.length);
    for (const logGroup of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(30);
  });
});

describe('cdk-nag', () => {
  it('finds no AwsSolutions error; what is left is listed', () => {
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

    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(annotations.filter((f) => f.severity === 'error')).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});
