// The one stack: storage, the user pool, speech, webhooks and voice training handed to the API, the console in front;
// the outputs operators need.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiConstruct } from './api-construct.ts';
import { AuthConstruct } from './auth-construct.ts';
import { ConsoleConstruct } from './console-construct.ts';
import { SpeechConstruct } from './speech-construct.ts';
import { StorageConstruct } from './storage-construct.ts';
import { VoiceTrainingConstruct } from './voice-training-construct.ts';
import { WebhooksConstruct } from './webhooks-construct.ts';

export interface VoicePlatformStackProps extends StackProps {
  /** The built console to deploy; `console/dist` unless given. */
  consoleDist?: string;
}

export class VoicePlatformStack extends Stack {
  readonly storage: StorageConstruct;
  readonly auth: AuthConstruct;
  readonly speech: SpeechConstruct;
  readonly webhooks: WebhooksConstruct;
  readonly training: VoiceTrainingConstruct;
  readonly api: ApiConstruct;
  readonly console: ConsoleConstruct;

  constructor(scope: Construct, id: string, props: VoicePlatformStackProps = {}) {
    const { consoleDist, ...stackProps } = props;
    super(scope, id, {
      description:
        'Voice for AI personalities: HTTP API, handlers, user pool, table, buckets, provider keys, usage and webhook ' +
        'queues, voice training and the console',
      ...stackProps,
    });

    this.storage = new StorageConstruct(this, 'Storage');
    this.auth = new AuthConstruct(this, 'Auth');
    // Every function checks tokens against the pool (functions/config.ts requires the issuer everywhere).
    const authIssuer = this.auth.issuer;
    this.speech = new SpeechConstruct(this, 'Speech', { storage: this.storage, jwtIssuer: authIssuer });
    this.webhooks = new WebhooksConstruct(this, 'Webhooks', { storage: this.storage, authIssuer });
    // Before the API: the routes that start trainings are granted its state machine.
    this.training = new VoiceTrainingConstruct(this, 'Training', {
      storage: this.storage,
      speech: this.speech,
      webhooks: this.webhooks,
      jwtIssuer: authIssuer,
    });
    this.api = new ApiConstruct(this, 'Api', {
      storage: this.storage,
      speech: this.speech,
      training: this.training,
      webhooks: this.webhooks,
      jwtIssuer: authIssuer,
      // Clients send the pool's ID tokens, whose `aud` is the console's app client id.
      jwtAudience: this.auth.consoleClient.userPoolClientId,
    });
    // Last: its config.json and Content-Security-Policy name the API, the streaming URLs and the user pool.
    this.console = new ConsoleConstruct(this, 'Console', {
      storage: this.storage,
      auth: this.auth,
      api: this.api,
      ...(consoleDist ? { distDirectory: consoleDist } : {}),
    });

    new CfnOutput(this, 'ConsoleUrl', {
      value: this.console.url,
      description: 'The console, where tenant admins sign in',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', {
      value: this.auth.userPool.userPoolId,
      description:
        'The tenant-admin user pool: invite each admin with custom:tenant_id set, and add them to the admin group',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.consoleClient.userPoolClientId,
      description: "The console's app client; its ID tokens are the ones the API accepts",
    });
    new CfnOutput(this, 'AuthIssuer', {
      value: authIssuer,
      description: 'The issuer (iss) of the tokens the API trusts',
    });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'SamplesBucketName', { value: this.storage.samples.bucketName });
    new CfnOutput(this, 'AudioBucketName', { value: this.storage.audio.bucketName });
    new CfnOutput(this, 'TrainingStateMachineArn', {
      value: this.training.stateMachine.stateMachineArn,
      description: 'The voice-training state machine, whose executions show how each training went',
    });
    new CfnOutput(this, 'WebhookPoisonQueueUrl', {
      value: this.webhooks.poison.queueUrl,
      description:
        'Webhook deliveries the deliverer itself failed on repeatedly, kept for inspection and redrive',
    });
    new CfnOutput(this, 'ProviderKeysSecretArn', {
      value: this.speech.providerKeys.secretArn,
      description:
        "Put the speech providers' API keys here after deploying (JSON fields elevenlabs_api_key, openai_api_key, " +
        'google_api_key, google_credentials); Polly works without any',
    });
  }
}
