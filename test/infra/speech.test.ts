// What speaking adds to the stack: the provider-keys secret, Polly, the usage dead-letter queue and its replayer,
// granted to the routes whose `resources.speech` is set and to no other.
import { describe, it, expect, beforeAll } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { routeList } from '../../functions/http/routes.ts';
import { TRAINING_TASK_RESOURCES, type TrainingTaskName } from '../../functions/training/training-tasks.ts';
import { AWS_DEFAULT_VOICE, PROVIDER_KEY_FIELDS } from '../../lib/speech-construct.ts';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import {
  actionsOf,
  environmentOf,
  logicalId,
  resource,
  resourcesFor,
  statementsOf,
  synthesizePlatform,
  synthesized,
  type Statement,
} from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 60_000);

const speakingRoutes = routeList.filter((route) => route.resources.speech);
const silentRoutes = routeList.filter((route) => !route.resources.speech);

describe('speech', () => {
  const secretRef = () => ({ Ref: logicalId(stack.speech.providerKeys) });
  const queueArn = () => ({ 'Fn::GetAtt': [logicalId(stack.speech.usageDeadLetters), 'Arn'] });
  /** Speaking routes may also queue the budget-warning webhook (webhooks.test.ts checks which). */
  const webhookQueueArn = () => ({ 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] });
  const besidesWebhooks = (targets: unknown[]) =>
    targets.filter((target) => JSON.stringify(target) !== JSON.stringify(webhookQueueArn()));

  it('keeps the provider keys in one secret, deployed with empty fields for the operator to fill', () => {
    const secret = resource(stack.speech.providerKeys).Properties;
    expect(JSON.parse(secret.SecretString as string)).toEqual(
      Object.fromEntries(PROVIDER_KEY_FIELDS.map((field) => [field, ''])),
    );
    expect(secret.Description).toMatch(/after deploying/);
    synthesized().hasOutput('ProviderKeysSecretArn', {
      Value: secretRef(),
      Description: Match.stringLikeRegexp('API keys here'),
    });
  });

  it('lets only the speaking functions (routes and training tasks) read the secret', () => {
    const readers = Object.values(synthesized().findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.PolicyDocument.Statement as Statement[]).some((s) =>
          [s.Action].flat().includes('secretsmanager:GetSecretValue'),
        ),
      )
      .flatMap((policy) => policy.Properties.Roles as { Ref: string }[])
      .map((role) => role.Ref);
    const speakingTasks = (Object.keys(TRAINING_TASK_RESOURCES) as TrainingTaskName[]).filter(
      (name) => TRAINING_TASK_RESOURCES[name].speech,
    );
    const speakers = [
      ...speakingRoutes.map((route) => stack.api.functions[route.id]),
      ...speakingTasks.map((name) => stack.training.taskFunctions[name]),
    ].map((fn) => {
      if (!fn.role) throw new Error(`${fn.node.path} has no role`);
      return logicalId(fn.role);
    });
    expect(speakers.length).toBeGreaterThan(0);
    expect(readers.sort()).toEqual(speakers.sort());
  });

  it.each(speakingRoutes.map((route) => [route.id]))(
    '%s reads the keys, calls Polly and may dead-letter usage records',
    (routeId) => {
      expect(resourcesFor(routeId, 'secretsmanager:GetSecretValue')).toEqual([secretRef()]);
      expect(resourcesFor(routeId, 'polly:SynthesizeSpeech')).toEqual(['*']);
      expect(resourcesFor(routeId, 'polly:DescribeVoices')).toEqual(['*']);
      expect(besidesWebhooks(resourcesFor(routeId, 'sqs:SendMessage'))).toEqual([queueArn()]);
      const environment = environmentOf(stack.api.functions[routeId]);
      expect(environment).toMatchObject({
        PROVIDER_KEYS_SECRET: secretRef(),
        POLLY_ENABLED: 'true',
        USAGE_DLQ_URL: { Ref: logicalId(stack.speech.usageDeadLetters) },
        DEFAULT_VOICE: AWS_DEFAULT_VOICE,
      });
      // The espeak-ng voice is for the local stack only; its package is not even in the bundle.
      expect(environment).not.toHaveProperty('LOCAL_TTS');
    },
  );

  it.each(silentRoutes.map((route) => [route.id]))(
    '%s neither speaks nor knows where the keys are',
    (routeId) => {
      const actions = actionsOf(routeId);
      expect(actions.filter((action) => /^(secretsmanager|polly):/.test(action))).toEqual([]);
      expect(besidesWebhooks(resourcesFor(routeId, 'sqs:SendMessage'))).toEqual([]);
      const environment = environmentOf(stack.api.functions[routeId]);
      for (const name of ['PROVIDER_KEYS_SECRET', 'POLLY_ENABLED', 'USAGE_DLQ_URL', 'DEFAULT_VOICE']) {
        expect(environment).not.toHaveProperty(name);
      }
    },
  );

  it('replays dead-lettered usage records in batches of ten, reporting failed records one by one', () => {
    const replay = stack.speech.replayFunction;
    synthesized().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(replay) },
      EventSourceArn: queueArn(),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const actions = statementsOf(replay).flatMap((s) => s.Action);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((action) => /^(secretsmanager|polly|s3):|^sqs:SendMessage$/.test(action))).toEqual(
      [],
    );
    // No HTTP route: API Gateway is never allowed to invoke it.
    const invokers = synthesized().findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [logicalId(replay), 'Arn'] } },
    });
    expect(invokers).toEqual({});
  });

  it('keeps usage records for 14 days, TLS-only and encrypted, and parks a record after 5 failed replays', () => {
    const queue = resource(stack.speech.usageDeadLetters).Properties;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack.speech.usagePoison), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    const replayTimeout = resource(stack.speech.replayFunction).Properties.Timeout as number;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * replayTimeout);
    expect(resource(stack.speech.usagePoison).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    for (const q of [stack.speech.usageDeadLetters, stack.speech.usagePoison]) {
      synthesized().hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});
