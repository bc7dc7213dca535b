// The hosted console: its files in a private bucket, served by CloudFront with security headers, and its config.json.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { ApiConstruct } from './api-construct.ts';
import type { AuthConstruct } from './auth-construct.ts';
import type { StorageConstruct } from './storage-construct.ts';
import { logicalId } from './voice-function.ts';

/** Where `npm run build` writes the console. */
export const DEFAULT_CONSOLE_DIST = fileURLToPath(new URL('../console/dist', import.meta.url));

/** What the console reads from `/config.json` at start (console/src/config.ts). */
export interface ConsoleConfig {
  /** The HTTP API's base URL, without a trailing slash. */
  apiUrl: string;
  auth: { mode: 'cognito'; userPoolId: string; clientId: string; region: string };
  /** Each streaming route's own URL, by route id (`chatStream`): HTTP APIs cannot stream. */
  streamUrls: Record<string, string>;
}

export interface ConsoleConstructProps {
  storage: StorageConstruct;
  auth: AuthConstruct;
  api: ApiConstruct;
  /** The built console; `console/dist` unless given (the infra tests point it at a fixture). */
  distDirectory?: string;
  /** A domain of the operator's own, with its ACM certificate (in us-east-1); otherwise the *.cloudfront.net name. */
  domain?: { names: string[]; certificate: ICertificate };
}

export class ConsoleConstruct extends Construct {
  readonly bucket: Bucket;
  /** Where CloudFront writes its standard logs; they need object ACLs, which the shared log bucket does not allow. */
  readonly distributionLogs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  readonly deployment: BucketDeployment;
  /** The zips CDK stages for the deployment (the built console, config.json): all its function may read. */
  readonly stagedArchives: Asset[];
  /** The deployment function's role, holding only the grants written out in `deploy`. */
  readonly deploymentRole: Role;
  /** The contents of `/config.json`; CloudFormation fills in its values when deploying. */
  readonly config: ConsoleConfig;
  /** `https://` and the distribution's domain. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleConstructProps) {
    super(scope, id);
    const distDirectory = props.distDirectory ?? DEFAULT_CONSOLE_DIST;
    assertBuilt(distDirectory);
    const stack = Stack.of(this);
    const { storage, auth, api } = props;

    const privateBucket = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Logs, and files every deploy puts back: left behind rather than failing a stack deletion on a full bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucket,
      serverAccessLogsBucket: storage.accessLogs,
      serverAccessLogsPrefix: 'console/',
    });
    this.distributionLogs = new Bucket(this, 'DistributionLogsBucket', {
      ...privateBucket,
      // CloudFront's standard logging writes objects with an ACL granting the bucket owner full control.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: storage.accessLogs,
      serverAccessLogsPrefix: 'console-distribution-logs/',
      lifecycleRules: [{ id: 'expire-distribution-logs', expiration: Duration.days(90) }],
    });

    const streamUrls = Object.fromEntries(
      Object.entries(api.streamingUrls).map(([routeId, streaming]) => [routeId, streaming.url]),
    );
    if (!streamUrls.chatStream) throw new Error('The console needs the chatStream streaming URL');
    this.config = {
      // The default stage serves at the root, so the endpoint is the base URL, and it has no trailing slash.
      apiUrl: api.httpApi.apiEndpoint,
      auth: {
        mode: 'cognito',
        userPoolId: auth.userPool.userPoolId,
        clientId: auth.consoleClient.userPoolClientId,
        region: stack.region,
      },
      streamUrls,
    };

    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The console: HSTS, CSP naming the API, the streaming URLs, Cognito and S3, no framing',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // The console links nowhere that needs to know where a user came from.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy(props), override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), geolocation=(), payment=(), usb=(), microphone=(self)',
            override: true,
          },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Voice for AI personalities: the console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: this.headers,
      },
      defaultRootObject: 'index.html',
      // A single-page app: every path the router knows is index.html. The bucket answers 403 for a missing object,
      // as CloudFront may not list it, and 404 would be the answer if it could.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.distributionLogs,
      logFilePrefix: 'console/',
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a domain of the operator's own the console is served on *.cloudfront.net with CloudFront's " +
          'default certificate, whose security policy cannot be raised; pass `domain` for TLS 1.2 at least.',
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Tenant admins sign in from anywhere, and the distribution serves only the static files of the console, ' +
        'which hold no data: that is behind the API, which checks every token.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files only, from a private bucket through origin access control; no ' +
        'request reaches code. A web ACL would cost more than the little it could protect here.',
    });

    this.url = `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}`;
    this.deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built console into its bucket and invalidates its distribution',
    });
    ({ deployment: this.deployment, stagedArchives: this.stagedArchives } = this.deploy(distDirectory));
  }

  /**
   * The console's Content-Security-Policy: its own files, and the few origins it calls: the API, the streaming URLs,
   * Cognito, and S3 for presigned sample uploads and spoken audio.
   */
  private contentSecurityPolicy({ storage, api }: ConsoleConstructProps): string {
    const { region, urlSuffix } = Stack.of(this);
    // Presigned URLs name the bucket as a subdomain of the regional endpoint, or of the global one (us-east-1).
    const s3 = [`https://*.s3.${region}.${urlSuffix}`, `https://*.s3.${urlSuffix}`];
    const directives: Record<string, string[]> = {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      // Cloudscape positions dropdowns, popovers and sticky table headers with style attributes, which only
      // 'unsafe-inline' allows; styles cannot run code, and scripts stay limited to the console's own files.
      'style-src': ["'self'", "'unsafe-inline'"],
      // Cloudscape's icons and fonts, and the files Vite inlines, are data: URLs.
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': [
        "'self'",
        api.httpApi.apiEndpoint,
        ...Object.values(api.streamingUrls).map((streaming) => streaming.url),
        `https://cognito-idp.${region}.${urlSuffix}`,
        `https://${storage.samples.bucketRegionalDomainName}`,
        ...s3,
      ],
      // blob: plays a recording picked for upload before it leaves the browser; data: a streamed, inlined sentence.
      'media-src': ["'self'", 'blob:', 'data:', ...s3],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    };
    return Object.entries(directives)
      .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
      .join('; ');
  }

  /**
   * Copies the built console and its config.json into the bucket on every deploy, deletes files no longer built
   * and invalidates the distribution. The copying function's role holds exactly what it needs: CDK's own grants
   * (every object action on both buckets, invalidations of every distribution) are not applied to it.
   */
  private deploy(distDirectory: string): { deployment: BucketDeployment; stagedArchives: Asset[] } {
    const role = this.deploymentRole;
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(distDirectory),
        // Last, so it replaces any config.json the build left for local use.
        Source.jsonData('config.json', this.config),
      ],
      destinationBucket: this.bucket,
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Browsers check each file again on every load (a cheap 304 for Vite's hashed files), so a deploy shows at once.
      cacheControl: [CacheControl.noCache()],
      role: role.withoutPolicyUpdates(),
      logGroup,
    });

    // The staged zips of the console and of config.json, each by its own key.
    const staged = deployment.node.children.filter((child): child is Asset => child instanceof Asset);
    if (staged.length !== 2)
      throw new Error(`Expected the console's two staged archives, found ${staged.length}`);
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: staged.map((asset) => asset.bucket.arnForObjects(asset.s3ObjectKey)),
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        resources: [this.distribution.distributionArn],
      }),
    );
    logGroup.grantWrite(role);
    // The copying function must not run before its role may copy.
    deployment.node.addDependency(role);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(this.bucket)}.Arn>/*]`,
      reason:
        "The console's file names change with every build (Vite hashes them), and pruning deletes the old ones: " +
        'the grant covers the objects of this one bucket.',
    });
    acknowledgeDeploymentHandler(this);
    return { deployment, stagedArchives: staged };
  }
}

/** CDK builds the copying function itself, once per stack; its finding is acknowledged where the deployment is added. */
function acknowledgeDeploymentHandler(scope: Construct): void {
  const handlers = Stack.of(scope).node.children.filter((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handlers.length !== 1) {
    throw new Error(`Expected CDK's one bucket-deployment handler in the stack, found ${handlers.length}`);
  }
  Validations.of(handlers[0] as Construct).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      "CDK's bucket-deployment handler, invoked by CloudFormation only while deploying. BucketDeployment offers no " +
      'choice of runtime: CDK sets the Python version it tests the handler on and raises it in its own releases.',
  });
}

function assertBuilt(distDirectory: string): void {
  if (existsSync(join(distDirectory, 'index.html'))) return;
  throw new Error(
    `The console is not built: ${join(distDirectory, 'index.html')} does not exist. ` +
      'Run `npm run build` (it builds console/ into console/dist) before synthesizing or deploying the stack.',
  );
}
