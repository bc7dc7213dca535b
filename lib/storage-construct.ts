// The platform's state: the one DynamoDB table, the samples and audio buckets, and the bucket holding their access logs.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type BucketProps,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PARTITION_KEY, SORT_KEY, TIME_TO_LIVE_ATTRIBUTE } from './table-keys.ts';

/** The audio bucket's prefix for content-addressed speech (functions/store/objects.ts writes under it). */
export const AUDIO_CACHE_PREFIX = 'cache/';

/** The samples bucket's prefix for uploaded recordings (functions/store/objects.ts writes under it). */
export const SAMPLES_PREFIX = 'samples/';

/**
 * The longest a recording is kept: the product keeps samples at most 30 days after training. S3 counts from the
 * upload, which comes before training, so the rule never keeps one longer; a tenant's shorter retention (down to
 * 0 days, deleted at once) is applied in code.
 */
export const MAX_SAMPLE_RETENTION_DAYS = 30;

/** What every bucket here shares: private, encrypted, reachable over TLS only. */
const PRIVATE_BUCKET: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
};

/** Stateful resources, built once and handed to the stateless constructs (API, training) that use them. */
export class StorageConstruct extends Construct {
  readonly table: Table;
  readonly samples: Bucket;
  readonly audio: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE,
      encryption: TableEncryption.AWS_MANAGED,
      // Tenants' personalities, voices and usage outlive any one deployment of the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogs = new Bucket(this, 'AccessLogsBucket', {
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // No AwsSolutions-S1 here: cdk-nag recognises the bucket other buckets log into and does not ask it to log itself.

    const abortIncompleteUploads = {
      id: 'abort-incomplete-multipart-uploads',
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    };

    this.samples = new Bucket(this, 'SamplesBucket', {
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'samples/',
      // Browsers upload voice samples straight to S3 with presigned POSTs; the signed policy, not CORS, limits them.
      cors: [
        {
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: ['*'],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-samples',
          prefix: SAMPLES_PREFIX,
          expiration: Duration.days(MAX_SAMPLE_RETENTION_DAYS),
        },
        abortIncompleteUploads,
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.audio = new Bucket(this, 'AudioBucket', {
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'audio/',
      lifecycleRules: [
        // Cached speech is content-addressed and can always be synthesised again.
        { id: 'expire-audio-cache', prefix: AUDIO_CACHE_PREFIX, expiration: Duration.days(30) },
        abortIncompleteUploads,
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
