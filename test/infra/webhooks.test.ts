// Webhook deliveries in the stack: an encrypted, TLS-only queue with a poison queue, its deliverer, and which functions
// may queue deliveries (the webhook routes, the speaking routes that write usage, the tasks that end a training).
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { routeList } from '../../functions/http/routes.ts';
import { TRAINING_TASKS, type TrainingTaskName } from '../../functions/training/training-tasks.ts';
import type { VoiceFunction } from '../../lib/voice-function.ts';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import { TRAINING_END_TASKS } from '../../lib/voice-training-construct.ts';
import {
  environmentOf,
  logicalId,
  resource,
  statementsOf,
  synthesizePlatform,
  synthesized,
  type Statement,
} from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 120_000);

const queueArn = () => ({ 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] });
const queueUrl = () => ({ Ref: logicalId(stack.webhooks.queue) });
const grants = (statement: Statement, action: string, target: unknown) =>
  [statement.Action].flat().includes(action) &&
  [statement.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(target));

/** Logical ids of the roles allowed to send to the delivery queue. */
function senderRoles(): string[] {
  return Object.values(synthesized().findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).some((s) =>
        grants(s, 'sqs:SendMessage', queueArn()),
      ),
    )
    .flatMap((policy) => policy.Properties.Roles as { Ref: string }[])
    .map((role) => role.Ref)
    .sort();
}

const roleOf = (fn: VoiceFunction) => {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return logicalId(fn.role);
};

describe('delivery queue', () => {
  it.each(['queue', 'poison'] as const)('keeps the %s queue encrypted and TLS-only', (name) => {
    const queue = stack.webhooks[name];
    expect(resource(queue).Properties).toMatchObject({ SqsManagedSseEnabled: true });
    synthesized().hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('parks a message the deliverer keeps failing on, and never redelivers a batch still being worked', () => {
    const queue = resource(stack.webhooks.queue).Properties;
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack.webhooks.poison), 'Arn'] },
      maxReceiveCount: expect.any(Number),
    });
    const timeout = resource(stack.webhooks.deliverer).Properties.Timeout as number;
    expect(queue.VisibilityTimeout).toBeGreaterThan(timeout);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    synthesized().hasOutput('WebhookPoisonQueueUrl', { Value: { Ref: logicalId(stack.webhooks.poison) } });
  });
});

describe('deliverer', () => {
  it('consumes the queue, reporting failed messages one by one', () => {
    synthesized().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.webhooks.deliverer) },
      EventSourceArn: queueArn(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('updates deliveries in the table and queues its own retries, and touches nothing else', () => {
    const statements = statementsOf(stack.webhooks.deliverer);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    expect(statements.some((s) => grants(s, 'sqs:SendMessage', queueArn()))).toBe(true);
    expect(environmentOf(stack.webhooks.deliverer).WEBHOOK_QUEUE_URL).toEqual(queueUrl());
    expect(actions.filter((action) => /^(s3|secretsmanager|polly|states):/.test(action))).toEqual([]);
    // SQS is its only trigger: no route, URL or other service may invoke it.
    const invokers = synthesized().findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [logicalId(stack.webhooks.deliverer), 'Arn'] } },
    });
    expect(invokers).toEqual({});
  });
});

describe('senders', () => {
  const sendingRoutes = routeList.filter(
    (route) => route.resources.webhooks || (route.resources.speech && route.resources.table === 'readwrite'),
  );

  it('are the webhook routes, the speaking routes, the tasks that end a training and the deliverer', () => {
    expect(sendingRoutes.map((route) => route.id)).toEqual(
      expect.arrayContaining(['sendTestWebhook', 'chat', 'generateSpeech']),
    );
    const expected = [
      ...sendingRoutes.map((route) => stack.api.functions[route.id]),
      ...TRAINING_END_TASKS.map((name) => stack.training.taskFunctions[name]),
      stack.webhooks.deliverer,
    ].map(roleOf);
    expect(senderRoles()).toEqual(expected.sort());
  });

  it.each(sendingRoutes.map((route) => [route.id]))('%s knows the queue URL', (routeId) => {
    expect(environmentOf(stack.api.functions[routeId]).WEBHOOK_QUEUE_URL).toEqual(queueUrl());
  });

  it('include the tasks that mark a training succeeded or failed, and no other task', () => {
    expect(TRAINING_END_TASKS).toEqual(expect.arrayContaining(['MarkFailed', 'GenerateSampleClip']));
    for (const name of Object.keys(TRAINING_TASKS) as TrainingTaskName[]) {
      const environment = environmentOf(stack.training.taskFunctions[name]);
      if (TRAINING_END_TASKS.includes(name)) expect(environment.WEBHOOK_QUEUE_URL, name).toEqual(queueUrl());
      else expect(environment, name).not.toHaveProperty('WEBHOOK_QUEUE_URL');
    }
  });

  it('leave every other route without the queue', () => {
    for (const route of routeList.filter((candidate) => !sendingRoutes.includes(candidate))) {
      expect(environmentOf(stack.api.functions[route.id]), route.id).not.toHaveProperty('WEBHOOK_QUEUE_URL');
    }
    expect(environmentOf(stack.api.authorizerFunction)).not.toHaveProperty('WEBHOOK_QUEUE_URL');
  });
});
