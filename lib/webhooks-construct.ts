// Webhook deliveries in AWS: the queue each attempt waits in, its poison queue, and the function that delivers.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StorageConstruct } from './storage-construct.ts';
import { VoiceFunction } from './voice-function.ts';

/** The delivery function's entry (named here: lib/ never imports runtime code). */
const DELIVERER_ENTRY = 'functions/webhooks/handlers/deliver-webhooks.ts';

/**
 * A batch's attempts run side by side, each cut off by the runtime's webhook timeout (WEBHOOK_TIMEOUT_MS, 5 s); the
 * rest is room for the table reads and writes around them and for queueing retries.
 */
const DELIVERY_TIMEOUT = Duration.seconds(30);

/**
 * How often SQS hands the same message over before parking it. A receiver's HTTP failure never counts: the deliverer
 * queues the next attempt as a new, delayed message. Only a crash of the deliverer itself does.
 */
const MAX_RECEIVES = 5;

/** What both queues share: TLS-only, encrypted with SQS's own keys, kept as long as SQS allows. */
const QUEUE_DEFAULTS: QueueProps = {
  enforceSSL: true,
  encryption: QueueEncryption.SQS_MANAGED,
  retentionPeriod: Duration.days(14),
  // A delivery in flight is only a pointer to its item in the table, which keeps the payload; nothing to retain.
  removalPolicy: RemovalPolicy.DESTROY,
};

export interface WebhooksConstructProps {
  storage: StorageConstruct;
  /** The runtime configuration (functions/config.ts) requires AUTH_ISSUER in every function, the deliverer too. */
  authIssuer: string;
}

/** The delivery queue and its consumer; `bindSender` lets a function queue deliveries. */
export class WebhooksConstruct extends Construct {
  readonly queue: Queue;
  /** Messages the deliverer failed on {@link MAX_RECEIVES} times, kept for an operator to inspect and redrive. */
  readonly poison: Queue;
  readonly deliverer: VoiceFunction;

  constructor(scope: Construct, id: string, props: WebhooksConstructProps) {
    super(scope, id);

    this.poison = new Queue(this, 'DeliveryPoisonQueue', QUEUE_DEFAULTS);
    // No AwsSolutions-SQS3 here: cdk-nag sees this queue is the delivery queue's dead-letter queue, the last stop.

    this.queue = new Queue(this, 'DeliveryQueue', {
      ...QUEUE_DEFAULTS,
      // AWS's advice for a Lambda source: six times the function's timeout, so a batch being retried is not redelivered.
      visibilityTimeout: Duration.seconds(DELIVERY_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.poison, maxReceiveCount: MAX_RECEIVES },
    });

    // Outside any VPC on purpose: it POSTs to the tenants' HTTPS endpoints on the internet, and the runtime refuses
    // private, loopback and plain-http URLs itself.
    this.deliverer = new VoiceFunction(this, 'DeliverWebhooksFunction', {
      entry: DELIVERER_ENTRY,
      description: 'Delivers queued webhook events to the tenants’ URLs, signed, and queues retries',
      timeout: DELIVERY_TIMEOUT,
      environment: { AUTH_ISSUER: props.authIssuer },
    }).bindResources(props.storage, { table: 'readwrite' });
    this.deliverer.addEventSource(
      // Failed messages are reported one by one, so the batch's delivered ones are not sent again.
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    // A failed attempt comes back as a new message, delayed by the backoff: the deliverer sends to its own queue.
    this.bindSender(this.deliverer);
  }

  /** Lets a function queue deliveries, to this queue only, and names it in WEBHOOK_QUEUE_URL. */
  bindSender(fn: VoiceFunction): VoiceFunction {
    // SendMessage alone: the URL is given, so GetQueueUrl and GetQueueAttributes (which grantSendMessages adds) are not.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
    return fn;
  }
}
