// What voice cloning adds to the stack: the training state machine as the ASL file says, with its task functions,
// logs and tracing; the sample validator on the samples bucket; the one route allowed to start trainings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routeList } from '../../functions/http/routes.ts';
import { objectKeys } from '../../functions/store/objects.ts';
import {
  TRAINING_STATE_MACHINE_FILE,
  TRAINING_TASK_RESOURCES,
  TRAINING_TASKS,
  taskPlaceholder,
  type TrainingTaskName,
} from '../../functions/training/training-tasks.ts';
import { MAX_SAMPLE_RETENTION_DAYS, SAMPLES_PREFIX } from '../../lib/storage-construct.ts';
import { REPO_ROOT } from '../../lib/voice-function.ts';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import {
  actionsOf,
  environmentOf,
  logicalId,
  platform,
  resource,
  resourcesFor,
  statementsOf,
  synthesizePlatform,
  synthesized,
} from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 60_000);

const taskNames = Object.keys(TRAINING_TASKS) as TrainingTaskName[];
const trainingRoutes = routeList.filter((route) => route.resources.training);
const otherRoutes = routeList.filter((route) => !route.resources.training);
const aslFile = () => readFileSync(join(REPO_ROOT, TRAINING_STATE_MACHINE_FILE), 'utf8');

/** A CloudFormation value as text: `<<Ref:Id>>`, `<<Id.Arn>>`, a literal as itself. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
  };
  if (intrinsic.Ref) return `<<Ref:${intrinsic.Ref}>>`;
  if (intrinsic['Fn::GetAtt']) return `<<${intrinsic['Fn::GetAtt'].join('.')}>>`;
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(render).join(intrinsic['Fn::Join'][0]);
  return `<<${JSON.stringify(value)}>>`;
}

/**
 * The definition Step Functions receives: DefinitionString (a literal, or CloudFormation's Fn::Join / Fn::Sub when
 * CDK put tokens in it) with CloudFormation's and then DefinitionSubstitutions' `${…}` replaced.
 */
function deployedDefinition(): string {
  const props = resource(stack.training.stateMachine).Properties;
  const source = props.DefinitionString as
    string | { 'Fn::Sub'?: string | [string, Record<string, unknown>] };
  let text: string;
  if (typeof source === 'object' && source['Fn::Sub'] !== undefined) {
    const [body, variables] = [source['Fn::Sub']].flat() as [string, Record<string, unknown>?];
    text = body.replace(/\$\{([\w.:]+)\}/g, (_, name: string) =>
      variables && name in variables
        ? render(variables[name])
        : name.includes('.')
          ? `<<${name}>>`
          : `<<Ref:${name}>>`,
    );
  } else {
    text = render(source);
  }
  const substitutions = (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  return text.replace(/\$\{(\w+)\}/g, (placeholder, name: string) =>
    name in substitutions ? render(substitutions[name]) : placeholder,
  );
}

describe('voice-training state machine', () => {
  const functionArn = (name: TrainingTaskName) => `<<${logicalId(stack.training.taskFunctions[name])}.Arn>>`;

  it('runs the ASL file with every placeholder replaced by its task function or the table', () => {
    const deployed = deployedDefinition();
    expect(deployed).not.toContain('${');

    const definition = JSON.parse(deployed);
    expect(definition.StartAt).toBe('ValidateSamples');
    for (const name of taskNames) expect(definition.States[name].Resource).toBe(functionArn(name));
    expect(definition.States.RecordVoiceCreated).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { TableName: `<<Ref:${logicalId(stack.storage.table)}>>` },
    });
    // Nothing else changed: the file with the same values put in is what is deployed.
    let expected = aslFile().replaceAll('${TableName}', `<<Ref:${logicalId(stack.storage.table)}>>`);
    for (const name of taskNames)
      expected = expected.replaceAll(`\${${taskPlaceholder(name)}}`, functionArn(name));
    expect(definition).toEqual(JSON.parse(expected));
  });

  it('logs every event with its data for a month, and traces executions', () => {
    const props = resource(stack.training.stateMachine).Properties;
    expect(props).toMatchObject({
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
    });
    const [destination] = (props.LoggingConfiguration as any).Destinations;
    const [logGroupId] = destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'];
    expect(synthesized().toJSON().Resources[logGroupId].Properties).toMatchObject({
      LogGroupName: expect.stringMatching(/^\/aws\/vendedlogs\/states\//),
      RetentionInDays: 30,
    });
  });

  it('may invoke exactly the task functions and update the table, and nothing else', () => {
    const statements = statementsOf(stack.training.stateMachine);
    const grantedFor = (action: string) =>
      statements
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => s.Resource)
        .map((arn) => JSON.stringify(arn));

    const taskArns = taskNames.flatMap((name) => {
      const arn = { 'Fn::GetAtt': [logicalId(stack.training.taskFunctions[name]), 'Arn'] };
      return [arn, { 'Fn::Join': ['', [arn, ':*']] }];
    });
    expect(grantedFor('lambda:InvokeFunction').sort()).toEqual(
      taskArns.map((arn) => JSON.stringify(arn)).sort(),
    );
    expect(grantedFor('dynamodb:UpdateItem')).toEqual([
      JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] }),
    ]);
    // Beyond those: CloudWatch Logs delivery and X-Ray, which CDK adds for logging and tracing.
    const others = statements
      .flatMap((s) => [s.Action].flat())
      .filter((action) => !['lambda:InvokeFunction', 'dynamodb:UpdateItem'].includes(action));
    for (const action of others) expect(action).toMatch(/^(logs|xray):/);
  });
});

describe('training task functions', () => {
  it.each(taskNames.map((name) => [name]))('%s has the grants and limits its work needs', (name) => {
    const fn = stack.training.taskFunctions[name];
    const { samples, audio, speech } = TRAINING_TASK_RESOURCES[name];
    expect(resource(fn).Properties).toMatchObject(
      name === 'CreateVoice' ? { Timeout: 300, MemorySize: 1024 } : { Timeout: 60 },
    );
    expect(environmentOf(fn)).toHaveProperty('AUTH_ISSUER');
    const actions = statementsOf(fn).flatMap((s) => [s.Action].flat());
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe(Boolean(speech));
    for (const [bucket, access] of [
      [stack.storage.samples, samples],
      [stack.storage.audio, audio],
    ] as const) {
      const objects = JSON.stringify({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, '/*']],
      });
      const on = (action: string) =>
        statementsOf(fn).some(
          (s) =>
            [s.Action].flat().includes(action) &&
            [s.Resource].flat().some((r) => JSON.stringify(r) === objects),
        );
      expect({ get: on('s3:GetObject'), put: on('s3:PutObject') }).toEqual({
        get: access !== undefined,
        put: access === 'readwrite',
      });
    }
  });
});

describe('sample validator', () => {
  it('runs on every object created under samples/, with the room to decode audio', () => {
    const validator = stack.training.sampleValidator;
    synthesized().hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stack.storage.samples) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: SAMPLES_PREFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(validator), 'Arn'] },
          },
        ],
      },
    });
    synthesized().hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(validator), 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.storage.samples), 'Arn'] },
    });
    expect(resource(validator).Properties).toMatchObject({ MemorySize: 1024, Timeout: 120 });
    const actions = statementsOf(validator).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 's3:GetObject', 's3:DeleteObject']),
    );
  });

  it('sees the keys the runtime writes, which the samples bucket expires after 30 days', () => {
    expect(objectKeys.sample('tenant', 'personality', 'sample').startsWith(SAMPLES_PREFIX)).toBe(true);
    expect(resource(stack.storage.samples).Properties).toMatchObject({
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({ Prefix: SAMPLES_PREFIX, ExpirationInDays: MAX_SAMPLE_RETENTION_DAYS }),
        ]),
      },
    });
    expect(MAX_SAMPLE_RETENTION_DAYS).toBe(30);
  });
});

describe('routes that start trainings', () => {
  const stateMachineRef = () => ({ Ref: logicalId(stack.training.stateMachine) });

  it.each(trainingRoutes.map((route) => [route.id]))(
    '%s starts executions of this state machine only',
    (routeId) => {
      expect(resourcesFor(routeId, 'states:StartExecution')).toEqual([stateMachineRef()]);
      expect(environmentOf(stack.api.functions[routeId]).TRAINING_STATE_MACHINE_ARN).toEqual(
        stateMachineRef(),
      );
    },
  );

  it('is the train route, and no other route may touch Step Functions', () => {
    expect(trainingRoutes.map((route) => route.id)).toEqual(['trainVoice']);
    for (const route of otherRoutes) {
      expect(actionsOf(route.id).filter((action) => action.startsWith('states:'))).toEqual([]);
      expect(environmentOf(stack.api.functions[route.id])).not.toHaveProperty('TRAINING_STATE_MACHINE_ARN');
    }
  });

  it('leaves every API route with exactly one API Gateway route', () => {
    // Streaming routes are function URLs, not API Gateway routes (stack.test.ts checks those).
    for (const route of routeList.filter((entry) => (entry.transport ?? 'api') === 'api')) {
      const found = synthesized().findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: `${route.method} ${route.path}` },
      });
      expect(Object.keys(found), route.id).toHaveLength(1);
    }
  });
});

describe('cdk-nag', () => {
  it('finds no error once training is in; lists what is left and what training acknowledged', () => {
    const { app, synthError } = platform();
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (where) => `${violation.severity} ${violation.ruleName} ${where.constructPath}`,
        ),
      );
    const acknowledged = [
      stack.training,
      ...stack.node.children.filter((c) => c.node.id.startsWith('BucketNotif')),
    ]
      .flatMap((scope) => scope.node.findAll())
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.keys(entry.data as object).map((id) => `${construct.node.path}: ${id}`)),
      );
    console.log(
      `cdk-nag findings left: ${findings.length === 0 ? 'none' : `\n  ${findings.join('\n  ')}`}\n` +
        `acknowledged for training:\n  ${acknowledged.join('\n  ')}`,
    );
    expect(findings.filter((finding) => finding.startsWith('error'))).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});
