// What speaking needs beyond storage: the provider keys, Polly, and the queue that keeps usage records the table refused.
import { Duration, SecretValue, Validations, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StorageConstruct } from './storage-construct.ts';
import { VoiceFunction } from './voice-function.ts';

/** The secret's fields, as functions/providers/tts/registry.ts reads them; an empty one leaves its provider out. */
export const PROVIDER_KEY_FIELDS = [
  'elevenlabs_api_key',
  'openai_api_key',
  'google_api_key',
  'google_credentials',
] as const;

/** The last voice of every chain in AWS: Polly needs no key, only the role's grant, so it always answers. */
export const AWS_DEFAULT_VOICE = 'polly:Joanna';

/** A replayed batch is ten small DynamoDB writes; a minute leaves room for throttling and retries. */
const REPLAY_TIMEOUT = Duration.seconds(60);

/** How many times a usage record is tried before it is parked on the poison queue for an operator. */
const MAX_REPLAYS = 5;

/** What both queues share: TLS-only, encrypted with SQS's own keys, and kept as long as SQS allows. */
const QUEUE_DEFAULTS: QueueProps = {
  enforceSSL: true,
  // Usage records waiting here are money owed or spent: they outlive the stack, like the table.
  removalPolicy: RemovalPolicy.RETAIN,
  encryption: QueueEncryption.SQS_MANAGED,
  retentionPeriod: Duration.days(14),
};

export interface SpeechConstructProps {
  storage: StorageConstruct;
  /** The runtime configuration (functions/config.ts) requires AUTH_ISSUER in every function, the replayer too. */
  jwtIssuer: string;
}

/**
 * The provider-keys secret, the usage dead-letter queue and the function that replays it into the table.
 * `bindSpeaker` gives a function that speaks or lists voices (a route with `speech: true`) what it needs of them.
 */
export class SpeechConstruct extends Construct {
  readonly providerKeys: Secret;
  /** Usage records the table refused while a request was answered; the replayer writes them in later. */
  readonly usageDeadLetters: Queue;
  /** Records the replayer failed {@link MAX_REPLAYS} times: kept for an operator to inspect and redrive. */
  readonly usagePoison: Queue;
  readonly replayFunction: VoiceFunction;

  constructor(scope: Construct, id: string, props: SpeechConstructProps) {
    super(scope, id);

    this.providerKeys = new Secret(this, 'ProviderKeys', {
      description:
        'API keys of the speech providers, as JSON: elevenlabs_api_key, openai_api_key, google_api_key and ' +
        "google_credentials (a service account's JSON key). Deployed empty: fill in the providers you use after " +
        'deploying; an empty field leaves its provider out. Polly needs no key.',
      // Only the empty template is in the stack. CloudFormation writes it again only if it changes here, which would
      // wipe the keys entered since: add a field to the live secret by hand rather than to this template.
      // The operator's keys outlive a deleted stack, so a redeploy does not mean asking every provider again.
      removalPolicy: RemovalPolicy.RETAIN,
      secretObjectValue: Object.fromEntries(
        PROVIDER_KEY_FIELDS.map((field) => [field, SecretValue.unsafePlainText('')]),
      ),
    });
    Validations.of(this.providerKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Third-party API keys, issued and rotated in the providers' consoles; no rotation Lambda can mint them. " +
        'Functions re-read the secret every 5 minutes, so a key pasted in after rotating takes effect without a deploy.',
    });

    this.usagePoison = new Queue(this, 'UsagePoisonQueue', QUEUE_DEFAULTS);
    // No AwsSolutions-SQS3 here: cdk-nag sees this queue is another queue's dead-letter queue, the last stop, and does
    // not ask it for one of its own. An acknowledgement would only hide the finding if that redrive were ever removed.

    this.usageDeadLetters = new Queue(this, 'UsageDeadLetterQueue', {
      ...QUEUE_DEFAULTS,
      // AWS's advice for a Lambda source: six times the function's timeout, so a batch being retried is not redelivered.
      visibilityTimeout: Duration.seconds(REPLAY_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.usagePoison, maxReceiveCount: MAX_REPLAYS },
    });

    this.replayFunction = new VoiceFunction(this, 'ReplayUsageFunction', {
      entry: 'functions/usage/handlers/replay-usage.ts',
      description: 'Replays dead-lettered usage records into the table',
      timeout: REPLAY_TIMEOUT,
      environment: { AUTH_ISSUER: props.jwtIssuer },
    }).bindResources(props.storage, { table: 'readwrite' });
    this.replayFunction.addEventSource(
      // Failed records are reported one by one, so a batch's good records are not replayed again with a bad one.
      new SqsEventSource(this.usageDeadLetters, { batchSize: 10, reportBatchItemFailures: true }),
    );
  }

  /** Lets a function that speaks or lists voices read the provider keys, call Polly and dead-letter usage records. */
  bindSpeaker(fn: VoiceFunction): VoiceFunction {
    this.providerKeys.grantRead(fn);
    fn.addEnvironment('PROVIDER_KEYS_SECRET', this.providerKeys.secretArn);

    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['polly:SynthesizeSpeech', 'polly:DescribeVoices'], resources: ['*'] }),
    );
    fn.acknowledgeOnRole(
      'AwsSolutions-IAM5[Resource::*]',
      "Polly's SynthesizeSpeech and DescribeVoices name no voice resource (SynthesizeSpeech scopes to lexicons " +
        'only, and no Polly lexicon is used): a resource ARN cannot narrow them.',
    );
    fn.addEnvironment('POLLY_ENABLED', 'true');
    // The `local` provider is never enabled in AWS (LOCAL_TTS stays unset), so Polly is the voice of last resort.
    fn.addEnvironment('DEFAULT_VOICE', AWS_DEFAULT_VOICE);

    // SendMessage alone: the URL is given, so GetQueueUrl and GetQueueAttributes (which grantSendMessages adds) are not.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.usageDeadLetters.queueArn] }),
    );
    fn.addEnvironment('USAGE_DLQ_URL', this.usageDeadLetters.queueUrl);
    return fn;
  }
}
