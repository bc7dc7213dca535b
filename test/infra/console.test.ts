// The console's hosting: a private bucket that only its CloudFront distribution reads, security headers, the SPA
// fallback, and a deployment that writes the built console (here a fixture) and a config.json naming the stack's URLs.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import {
  logicalId,
  platform,
  resource,
  synthesizePlatform,
  synthesized,
  type Resource,
  type Statement,
} from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 120_000);

const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/** A CloudFormation value as text: references written `${Id}` or `${Id.Attribute}`, as Fn::Sub writes them. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, any>;
  if ('Ref' in node) return `\${${node.Ref}}`;
  if ('Fn::Sub' in node && typeof node['Fn::Sub'] === 'string') return node['Fn::Sub'];
  if ('Fn::GetAtt' in node) return `\${${node['Fn::GetAtt'].join('.')}}`;
  if ('Fn::Join' in node) return (node['Fn::Join'][1] as unknown[]).map(render).join(node['Fn::Join'][0]);
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
}

const distribution = () => resource(stack.console.distribution).Properties.DistributionConfig as any;
const headersConfig = () => resource(stack.console.headers).Properties.ResponseHeadersPolicyConfig as any;

/** The Content-Security-Policy as directive → sources. */
function contentSecurityPolicy(): Record<string, string[]> {
  const text = render(headersConfig().SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  return Object.fromEntries(
    text.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

const deployment = (): Resource => {
  const found = Object.values(synthesized().findResources('Custom::CDKBucketDeployment')) as Resource[];
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** Every statement of the policies attached to a role. */
function statementsOfRole(role: Role): Statement[] {
  const policies = synthesized().findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([ref(logicalId(role))]) },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

/** A staged archive's directory in the synthesized cloud assembly. */
function stagedDirectory(asset: Asset): string {
  return isAbsolute(asset.assetPath) ? asset.assetPath : join(platform().app.outdir, asset.assetPath);
}

describe('the console bucket', () => {
  it('is private, encrypted, TLS-only and logs into the access-log bucket', () => {
    expect(resource(stack.console.bucket).Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: ref(logicalId(stack.storage.accessLogs)) },
    });
    expect(resource(stack.console.bucket).Properties).not.toHaveProperty('WebsiteConfiguration');
  });

  it('lets only this distribution read it, through origin access control', () => {
    const bucket = logicalId(stack.console.bucket);
    const distributionId = logicalId(stack.console.distribution);
    const policies = Object.values(
      synthesized().findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: ref(bucket) } }),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as any[];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [getAtt(bucket, 'Arn'), '/*']] },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      },
    ]);
    expect(render(allows[0].Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/\${${distributionId}}`,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );

    const [origin] = distribution().Origins;
    expect(origin.DomainName).toEqual(getAtt(bucket, 'RegionalDomainName'));
    const [accessControlId] = origin.OriginAccessControlId['Fn::GetAtt'];
    expect(synthesized().toJSON().Resources[accessControlId]).toMatchObject({
      Type: 'AWS::CloudFront::OriginAccessControl',
      Properties: {
        OriginAccessControlConfig: {
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      },
    });
  });
});

describe('the distribution', () => {
  it('redirects HTTP to HTTPS and answers with index.html at the root and for any path the bucket lacks', () => {
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
    });
    expect(distribution().CustomErrorResponses).toEqual(
      expect.arrayContaining(
        [403, 404].map((code) =>
          expect.objectContaining({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html' }),
        ),
      ),
    );
  });

  it('sends its security headers on every response', () => {
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(
      ref(logicalId(stack.console.headers)),
    );
    const security = headersConfig().SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toMatchObject({ ReferrerPolicy: expect.any(String), Override: true });
    expect(security.ContentSecurityPolicy.Override).toBe(true);
  });

  it('lets the console run only its own scripts, in no frame, and call only the origins it needs', () => {
    const csp = contentSecurityPolicy();
    const s3 = ['https://*.s3.${AWS::Region}.${AWS::URLSuffix}', 'https://*.s3.${AWS::URLSuffix}'];
    const chatStream = stack.api.streamingUrls.chatStream!;
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['connect-src']).toEqual(
      expect.arrayContaining([
        "'self'",
        `\${${logicalId(stack.api.httpApi)}.ApiEndpoint}`,
        `\${${logicalId(chatStream.functionUrl)}.FunctionUrl}api/chat/stream`,
        'https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}',
        `https://\${${logicalId(stack.storage.samples)}.RegionalDomainName}`,
        ...s3,
      ]),
    );
    expect(csp['media-src']).toEqual(expect.arrayContaining(["'self'", 'blob:', ...s3]));
    // Nothing anywhere lets in a script that is not a file of the console's own.
    expect(Object.values(csp).flat()).not.toContain("'unsafe-eval'");
    expect(
      Object.values(csp)
        .flat()
        .filter((source) => source === '*'),
    ).toEqual([]);
  });

  it('logs requests into a bucket of its own that accepts CloudFront’s log ACLs and is itself logged', () => {
    const logs = logicalId(stack.console.distributionLogs);
    expect(distribution().Logging).toMatchObject({ Bucket: getAtt(logs, 'RegionalDomainName') });
    expect(resource(stack.console.distributionLogs).Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: ref(logicalId(stack.storage.accessLogs)) },
    });
  });

  it('acknowledges the default certificate, no geo restriction and no web ACL, with reasons', () => {
    const acknowledged = stack.console.distribution.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    for (const rule of ['CFR1', 'CFR2', 'CFR4']) {
      expect(
        acknowledged.some((id) => id.includes(`AwsSolutions-${rule}`)),
        rule,
      ).toBe(true);
    }
  });

  it('outputs the console URL', () => {
    synthesized().hasOutput('ConsoleUrl', {
      Value: { 'Fn::Join': ['', ['https://', getAtt(logicalId(stack.console.distribution), 'DomainName')]] },
    });
  });
});

describe('the deployment', () => {
  it('copies the build into the bucket, prunes old files and invalidates every path', () => {
    expect(deployment().Properties).toMatchObject({
      DestinationBucketName: ref(logicalId(stack.console.bucket)),
      Prune: true,
      DistributionId: ref(logicalId(stack.console.distribution)),
      DistributionPaths: ['/*'],
    });
  });

  it('stages the given build and a config.json naming the API, the user pool and the streaming URL', () => {
    const [build, config] = stack.console.stagedArchives;
    expect(readFileSync(join(stagedDirectory(build!), 'index.html'), 'utf8')).toMatch(/A stand-in/);
    const staged = readFileSync(join(stagedDirectory(config!), 'config.json'), 'utf8');
    // The values are deploy-time markers, each replaced by the CloudFormation value the deployment names.
    const markers = (deployment().Properties.SourceMarkers as Record<string, unknown>[])[1]!;
    const text = Object.entries(markers).reduce(
      (file, [marker, value]) => file.replaceAll(marker, render(value)),
      staged,
    );
    expect(JSON.parse(text)).toEqual({
      apiUrl: `\${${logicalId(stack.api.httpApi)}.ApiEndpoint}`,
      auth: {
        mode: 'cognito',
        userPoolId: `\${${logicalId(stack.auth.userPool)}}`,
        clientId: `\${${logicalId(stack.auth.consoleClient)}}`,
        region: '${AWS::Region}',
      },
      streamUrls: {
        chatStream: `\${${logicalId(stack.api.streamingUrls.chatStream!.functionUrl)}.FunctionUrl}api/chat/stream`,
      },
    });
  });

  it('runs with a role that reads its staged archives, writes the console bucket, invalidates this distribution', () => {
    const statements = statementsOfRole(stack.console.deploymentRole);
    const bucket = logicalId(stack.console.bucket);
    const objects = { 'Fn::Join': ['', [getAtt(bucket, 'Arn'), '/*']] };
    const on = (action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    const staged = stack.console.stagedArchives;
    expect(deployment().Properties.SourceObjectKeys).toEqual(staged.map((asset) => asset.s3ObjectKey));
    expect(on('s3:GetObject').map(render)).toEqual(
      staged.map((asset) => `${render(stack.resolve(asset.bucket.bucketArn))}/${asset.s3ObjectKey}`),
    );
    expect(on('s3:PutObject')).toEqual([objects]);
    expect(on('s3:DeleteObject')).toEqual([objects]);
    expect(on('s3:ListBucket')).toEqual([getAtt(bucket, 'Arn')]);
    for (const action of ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']) {
      expect(on(action).map(render)).toEqual([
        `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/\${${logicalId(stack.console.distribution)}}`,
      ]);
    }
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(resource(stack.console.deploymentRole).Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('refuses to synthesize without a built console, and says how to build it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-dist-'));
    expect(existsSync(join(empty, 'index.html'))).toBe(false);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => new VoicePlatformStack(app, 'Unbuilt', { consoleDist: empty })).toThrow(
      /not built.*npm run build/s,
    );
  });
});

describe('the samples bucket', () => {
  it('accepts presigned POST uploads from any origin, the console’s included', () => {
    expect(resource(stack.storage.samples).Properties).toMatchObject({
      CorsConfiguration: {
        CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['*'] })],
      },
    });
  });
});
