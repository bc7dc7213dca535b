// The CDK app named in cdk.json: the platform stack, checked by cdk-nag's AWS Solutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { VoicePlatformStack } from '../lib/voice-platform-stack.ts';

const app = new App();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new VoicePlatformStack(app, 'VoicePlatform', {
  // Environment-agnostic when the CLI has no credentials, so synth works offline.
  ...(account && region ? { env: { account, region } } : {}),
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
