// The one stack: storage, speech and voice training handed to the API, the identity parameters it trusts, the outputs operators need.
import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiConstruct } from './api-construct.ts';
import { SpeechConstruct } from './speech-construct.ts';
import { StorageConstruct } from './storage-construct.ts';
import { VoiceTrainingConstruct } from './voice-training-construct.ts';

export class VoicePlatformStack extends Stack {
  readonly storage: StorageConstruct;
  readonly speech: SpeechConstruct;
  readonly training: VoiceTrainingConstruct;
  readonly api: ApiConstruct;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description:
        'Voice for AI personalities: HTTP API, handlers, table, buckets, provider keys, usage queue and voice training',
      ...props,
    });

    // Parameters until a Cognito construct lives in this stack; the placeholders let synth run and reject every token.
    const jwtIssuer = new CfnParameter(this, 'JwtIssuer', {
      type: 'String',
      description:
        'Issuer of the tenant-admin tokens: the Cognito user pool URL https://cognito-idp.<region>.amazonaws.com/<pool-id>',
      default: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_placeholder',
      allowedPattern: '^https://\\S+$',
      constraintDescription: 'must be an https URL',
    });
    const jwtAudience = new CfnParameter(this, 'JwtAudience', {
      type: 'String',
      description:
        "The Cognito app client id that tenant-admin tokens are issued for (the tokens' aud claim)",
      default: 'placeholder-app-client-id',
      minLength: 1,
    });

    this.storage = new StorageConstruct(this, 'Storage');
    this.speech = new SpeechConstruct(this, 'Speech', {
      storage: this.storage,
      jwtIssuer: jwtIssuer.valueAsString,
    });
    // Before the API: the routes that start trainings are granted its state machine.
    this.training = new VoiceTrainingConstruct(this, 'Training', {
      storage: this.storage,
      speech: this.speech,
      jwtIssuer: jwtIssuer.valueAsString,
    });
    this.api = new ApiConstruct(this, 'Api', {
      storage: this.storage,
      speech: this.speech,
      training: this.training,
      jwtIssuer: jwtIssuer.valueAsString,
      jwtAudience: jwtAudience.valueAsString,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'SamplesBucketName', { value: this.storage.samples.bucketName });
    new CfnOutput(this, 'AudioBucketName', { value: this.storage.audio.bucketName });
    new CfnOutput(this, 'TrainingStateMachineArn', {
      value: this.training.stateMachine.stateMachineArn,
      description: 'The voice-training state machine, whose executions show how each training went',
    });
    new CfnOutput(this, 'ProviderKeysSecretArn', {
      value: this.speech.providerKeys.secretArn,
      description:
        "Put the speech providers' API keys here after deploying (JSON fields elevenlabs_api_key, openai_api_key, " +
        'google_api_key, google_credentials); Polly works without any',
    });
  }
}
