// The platform's Lambda function: the defaults every handler shares, set once, and least-privilege grant helpers.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AssetHashType,
  CfnElement,
  DockerImage,
  Duration,
  type ILocalBundling,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { buildSync, type BuildOptions } from 'esbuild';

/** The repository root: esbuild resolves handler entries and `#config`-style imports from here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type TableAccess = 'read' | 'readwrite';
export type BucketAccess = 'read' | 'readwrite';

/** What one function may touch; the route table's `resources` is one of these. */
export interface FunctionResources {
  table?: TableAccess;
  samples?: BucketAccess;
  audio?: BucketAccess;
}

export interface VoiceFunctionProps {
  /** Handler entry file relative to the repository root, as the route table names it; it exports `handler`. */
  entry: string;
  description?: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

/** What every bundle is built with; `bundleHandler` adds the entry and the output folder. */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  // Maps give readable stack traces; the sources themselves are in the repository, not needed in each map.
  sourcemap: true,
  sourcesContent: false,
  // The code behind a dynamic import (a provider's SDK, an audio decoder) goes into a chunk of its own, loaded the
  // first time it is used: a function pays at cold start only for what every request needs.
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // The AWS SDK is bundled too, at the version tested here, rather than taken from whatever the runtime ships.
  // espeak-ng (18 MB of WebAssembly) serves only the `local` provider of the local stack, never enabled in AWS
  // (LOCAL_TTS unset): it stays out of every bundle, and the provider's dynamic import is never reached.
  external: ['espeak-ng'],
  // Dependencies still shipped as CommonJS use `require`, `__dirname` and `__filename`, which an ES module does not
  // have (google-gax reads `__dirname` as it loads). Every chunk gets its own, as each is a module of its own.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { dirname as __pathDirname } from 'node:path';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/**
 * Bundles one handler entry into `outputDir`: `index.mjs`, its source map, and the chunks it imports.
 *
 * esbuild makes a chunk of every dynamic import it parses, even one inside code it then drops as unused; such a
 * chunk is imported by nothing that remains. Only the chunks `index.mjs` reaches, statically or dynamically, are
 * kept: a function that never speaks does not ship the providers' SDKs.
 */
export function bundleHandler(entry: string, outputDir: string): void {
  const { metafile } = buildSync({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    outdir: outputDir,
    metafile: true,
  });
  const outputs = metafile.outputs;
  // Paths in the metafile are relative to the working directory; every dynamic import counts as an entry point too.
  const index = Object.keys(outputs).find(
    (path) => resolve(REPO_ROOT, path) === join(outputDir, 'index.mjs'),
  );
  if (!index) throw new Error(`esbuild wrote no index.mjs for ${entry}`);
  const reached = new Set<string>();
  const visit = (path: string) => {
    if (reached.has(path) || !outputs[path]) return;
    reached.add(path);
    for (const imported of outputs[path].imports) visit(imported.path);
  };
  visit(index);
  for (const path of Object.keys(outputs))
    if (!reached.has(path.replace(/\.map$/, ''))) rmSync(join(REPO_ROOT, path));
}

/**
 * Bundling in this process. The entry is a field, not only captured by `tryBundle`: CDK caches staged assets by the
 * JSON of their bundling options, so two functions must not look alike there.
 */
class LocalBundling implements ILocalBundling {
  readonly entry: string;

  constructor(entry: string) {
    this.entry = entry;
  }

  tryBundle(outputDir: string): boolean {
    bundleHandler(this.entry, outputDir);
    return true;
  }
}

/**
 * A Node.js handler bundled by the local esbuild (no Docker): `index.mjs` with its lazily loaded chunks.
 *
 * Not a `NodejsFunction`: that one writes a single file, so every dynamic import is inlined and a function that may
 * speak would parse every provider's SDK at each cold start.
 *
 * The role and the log group are built here rather than left to `Function`: its default role carries the managed
 * AWSLambdaBasicExecutionRole (logs on every log group of the account); this role may write to its own group only.
 */
export class VoiceFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: VoiceFunctionProps) {
    // Both exist before the function does, so they are its siblings, named after it.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      code: Code.fromAsset(REPO_ROOT, {
        // The hash of what is deployed, so an unchanged bundle is not uploaded again.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling always succeeds or throws.
          image: DockerImage.fromRegistry('esbuild-runs-locally'),
          local: new LocalBundling(props.entry),
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      // API Gateway gives up on an integration after 29 s; running longer only burns money.
      timeout: props.timeout ?? Duration.seconds(29),
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'voice-personalities',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
  }

  /** Grants the table's data (and its indexes') for reading, or reading and writing, and names it in TABLE_NAME. */
  bindTable(table: Table, access: TableAccess): this {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    // Once the table has a secondary index, CDK's grant adds `<table>/index/*`, the one wildcard it writes.
    if (hasSecondaryIndexes(table)) {
      this.acknowledgeOnRole(
        `AwsSolutions-IAM5[Resource::<${logicalId(table)}.Arn>/index/*]`,
        "Scoped to this table's own secondary indexes, which hold the table's items under the same tenant-first keys.",
      );
    }
    return this;
  }

  /**
   * Names both buckets in SAMPLES_BUCKET and AUDIO_BUCKET (the runtime config requires both on every function)
   * and grants object access only where `access` asks for it.
   */
  bindBuckets(
    buckets: { samples: IBucket; audio: IBucket },
    access: Omit<FunctionResources, 'table'> = {},
  ): this {
    this.addEnvironment('SAMPLES_BUCKET', buckets.samples.bucketName);
    this.addEnvironment('AUDIO_BUCKET', buckets.audio.bucketName);
    if (access.samples) this.grantObjects(buckets.samples, access.samples);
    if (access.audio) this.grantObjects(buckets.audio, access.audio);
    return this;
  }

  /** Binds what a route's `resources` asks for: the table and bucket names always, grants only where asked. */
  bindResources(
    storage: { table: Table; samples: IBucket; audio: IBucket },
    resources: FunctionResources,
  ): this {
    if (resources.table) this.bindTable(storage.table, resources.table);
    else this.addEnvironment('TABLE_NAME', storage.table.tableName);
    return this.bindBuckets(storage, resources);
  }

  private grantObjects(bucket: IBucket, access: BucketAccess): void {
    const actions =
      access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
    // Without ListBucket a missing object answers 403 rather than 404, and a cache lookup could not tell a miss.
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.acknowledgeOnRole(
      `AwsSolutions-IAM5[Resource::<${logicalId(bucket)}.Arn>/*]`,
      'Object keys are built per tenant and per request at run time; the grant is limited to this one bucket.',
    );
  }

  /** Acknowledges a cdk-nag finding on this function's role, where grants (this class's and others') land. */
  acknowledgeOnRole(id: string, reason: string): void {
    if (this.role) Validations.of(this.role).acknowledge({ id, reason });
  }
}

/** Whether the table has indexes yet: the grant covers indexes added later too, this check only those added before. */
function hasSecondaryIndexes(table: Table): boolean {
  const resource = table.node.defaultChild as CfnTable;
  const stack = Stack.of(table);
  const indexes = [resource.globalSecondaryIndexes, resource.localSecondaryIndexes].map((lazy) =>
    stack.resolve(lazy),
  );
  return indexes.some((list) => Array.isArray(list) && list.length > 0);
}

/** The CloudFormation logical id of a resource, as cdk-nag writes it in a finding (`<Id.Arn>`). */
export function logicalId(construct: Construct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  const stack = Stack.of(construct);
  return stack.resolve(resource.logicalId) as string;
}
