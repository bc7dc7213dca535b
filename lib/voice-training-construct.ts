// Voice cloning in AWS: the training state machine and its task functions, and the checker of uploaded samples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  TRAINING_STATE_MACHINE_FILE,
  TRAINING_TASK_RESOURCES,
  TRAINING_TASKS,
  taskPlaceholder,
  type TrainingTaskName,
} from '../functions/training/training-tasks.ts';
import type { SpeechConstruct } from './speech-construct.ts';
import { SAMPLES_PREFIX, type StorageConstruct } from './storage-construct.ts';
import { logicalId, REPO_ROOT, VoiceFunction } from './voice-function.ts';
import type { WebhooksConstruct } from './webhooks-construct.ts';

export interface VoiceTrainingConstructProps {
  storage: StorageConstruct;
  /** Binds the tasks that clone or speak (`speech: true` in TRAINING_TASK_RESOURCES) to the provider keys. */
  speech: SpeechConstruct;
  /** Lets the tasks that end a training (see {@link TRAINING_END_TASKS}) queue its webhook event. */
  webhooks: WebhooksConstruct;
  /** The runtime configuration (functions/config.ts) requires AUTH_ISSUER in every function, these too. */
  jwtIssuer: string;
}

/** A task calls one provider or writes a few items; a minute leaves room for the provider's own retries. */
const TASK_TIMEOUT = Duration.seconds(60);

/**
 * CreateVoice downloads up to 25 samples of up to 10 MB each and uploads them to the provider: the memory holds them
 * (and buys network bandwidth), and the time covers a slow upload of 250 MB.
 */
const TASK_SIZING: Partial<Record<TrainingTaskName, { memorySize: number; timeout: Duration }>> = {
  CreateVoice: { memorySize: 1024, timeout: Duration.minutes(5) },
};

/**
 * The tasks that end a training and raise its webhook event: GenerateSampleClip, the last step of a successful run,
 * `voice.training.succeeded` (speaking, it may also raise the budget warning); MarkFailed `voice.training.failed`.
 */
export const TRAINING_END_TASKS: readonly TrainingTaskName[] = ['GenerateSampleClip', 'MarkFailed'];

/** The S3 event handler that checks each uploaded recording (named here: lib/ never imports runtime code). */
const SAMPLE_VALIDATOR_ENTRY = 'functions/training/handlers/validate-sample.ts';

/** `${TableName}`-style placeholders in the ASL; JSONPath (`$.x`) and intrinsics never use braces after a `$`. */
const PLACEHOLDER = /\$\{(\w+)\}/g;

/**
 * The voice-training state machine (statemachines/voice-training.asl.json) with one function per task, and the
 * function that checks every recording uploaded under `samples/`. `bindStarter` lets a route start trainings.
 */
export class VoiceTrainingConstruct extends Construct {
  readonly stateMachine: StateMachine;
  readonly taskFunctions: Record<TrainingTaskName, VoiceFunction>;
  /** Runs on every object created under `samples/`: stores the recording's report, deletes what is rejected. */
  readonly sampleValidator: VoiceFunction;

  constructor(scope: Construct, id: string, props: VoiceTrainingConstructProps) {
    super(scope, id);
    this.taskFunctions = this.createTaskFunctions(props);
    this.stateMachine = this.createStateMachine(props.storage);
    this.sampleValidator = this.createSampleValidator(props);
  }

  /** Lets a function start training executions, of this state machine only, and names it in the environment. */
  bindStarter(fn: VoiceFunction): VoiceFunction {
    this.stateMachine.grantStartExecution(fn);
    fn.addEnvironment('TRAINING_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    return fn;
  }

  private createTaskFunctions(props: VoiceTrainingConstructProps): Record<TrainingTaskName, VoiceFunction> {
    const functions: Partial<Record<TrainingTaskName, VoiceFunction>> = {};
    for (const [name, entry] of Object.entries(TRAINING_TASKS) as [TrainingTaskName, string][]) {
      const { speech, ...buckets } = TRAINING_TASK_RESOURCES[name];
      const fn = new VoiceFunction(this, `${name}Function`, {
        entry,
        description: `Voice-training task ${name}`,
        timeout: TASK_SIZING[name]?.timeout ?? TASK_TIMEOUT,
        memorySize: TASK_SIZING[name]?.memorySize,
        environment: { AUTH_ISSUER: props.jwtIssuer },
      }).bindResources(props.storage, { table: 'readwrite', ...buckets });
      if (speech) props.speech.bindSpeaker(fn);
      if (TRAINING_END_TASKS.includes(name)) props.webhooks.bindSender(fn);
      functions[name] = fn;
    }
    return functions as Record<TrainingTaskName, VoiceFunction>;
  }

  private createStateMachine(storage: StorageConstruct): StateMachine {
    const definition = readFileSync(join(REPO_ROOT, TRAINING_STATE_MACHINE_FILE), 'utf8');
    const definitionSubstitutions: Record<string, string> = { TableName: storage.table.tableName };
    for (const [name, fn] of Object.entries(this.taskFunctions) as [TrainingTaskName, VoiceFunction][]) {
      definitionSubstitutions[taskPlaceholder(name)] = fn.functionArn;
    }
    // CloudFormation would leave an unknown placeholder in the definition, and the state would fail only when reached.
    const unfilled = [...definition.matchAll(PLACEHOLDER)]
      .map((match) => match[1] as string)
      .filter((name) => !(name in definitionSubstitutions));
    if (unfilled.length > 0) {
      throw new Error(
        `${TRAINING_STATE_MACHINE_FILE} has placeholders no resource fills: ${unfilled.join(', ')}`,
      );
    }

    const logs = new LogGroup(this, 'StateMachineLogs', {
      // Step Functions delivers logs as a vended log source; under this prefix CloudWatch needs no resource policy
      // per log group, whose account-wide size limit would otherwise be reached as state machines are added.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-voice-training`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // The states stay in the template (fromString, not fromFile's S3 asset) so tests and reviewers can read them.
    const stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions,
      // Every transition with its input and output: a failed training is explained by the execution's history.
      // The data is ids, sample keys and provider voice ids; recordings themselves never pass through.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    for (const fn of Object.values(this.taskFunctions)) fn.grantInvoke(stateMachine);
    const role = stateMachine.role;
    // RecordVoiceCreated writes the job item itself (the direct DynamoDB integration): one action, one table.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [storage.table.tableArn] }),
    );

    for (const fn of Object.values(this.taskFunctions)) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        reason:
          "CDK's grantInvoke names the task function and its versions and aliases (`<arn>:*`); the wildcard spans " +
          'only qualified ARNs of this one task function.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for the logging and tracing this state machine must have: the CloudWatch Logs delivery ' +
        'actions (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) support no resource-level scoping.',
    });
    return stateMachine;
  }

  private createSampleValidator(props: VoiceTrainingConstructProps): VoiceFunction {
    const { storage } = props;
    const validator = new VoiceFunction(this, 'ValidateSampleFunction', {
      entry: SAMPLE_VALIDATOR_ENTRY,
      description: 'Checks every recording uploaded to the samples bucket and stores its report',
      // Decoding a 10 MB recording to measure its length and quality takes memory and a few seconds of CPU.
      memorySize: 1024,
      timeout: Duration.seconds(120),
      environment: { AUTH_ISSUER: props.jwtIssuer },
    })
      // It reads the new object and deletes rejected or unclaimed ones; it writes nothing under `samples/`, so it
      // never triggers itself.
      .bindResources(storage, { table: 'readwrite', samples: 'readwrite' });

    storage.samples.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(validator), {
      prefix: SAMPLES_PREFIX,
    });
    acknowledgeNotificationsHandler(this);
    return validator;
  }
}

/**
 * CDK applies a bucket's notifications through a custom resource whose Lambda handler and role it builds itself,
 * once per stack; its findings are acknowledged here, where the notification that brings it is added.
 */
function acknowledgeNotificationsHandler(scope: Construct): void {
  const handlers = Stack.of(scope).node.children.filter((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (handlers.length !== 1) {
    throw new Error(`Expected CDK's one bucket-notifications handler in the stack, found ${handlers.length}`);
  }
  Validations.of(handlers[0] as Construct).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's bucket-notifications handler, run by CloudFormation only while deploying to set the samples bucket's " +
      "notification. The managed policy lets it write its logs; a role of our own (the bucket's " +
      'notificationsHandlerRole) would need the same rights on the log group of a function CDK names, a wildcard too.',
  });
}
