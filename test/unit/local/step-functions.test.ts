// The local Step Functions, driven as runtime code drives AWS: through the real SFNClient.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStepFunctionsLocal, type StepFunctionsLocal } from '../../../local/step-functions.ts';

const COUNT_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:count';
const DESCRIBE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:describe';
const SPEAK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:speak';
const BLOCK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:block';
const PUT_ITEM = 'arn:aws:states:::dynamodb:putItem';

/** Task (lambda:invoke) → Choice → Wait loop bounded by a counter, then a direct Lambda Task → Succeed. */
const counterDefinition = JSON.stringify({
  StartAt: 'Count',
  States: {
    Count: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: COUNT_ARN, 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Enough?',
    },
    'Enough?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.count', NumericGreaterThanEqualsPath: '$.limit', Next: 'Describe' }],
      Default: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 3600, Next: 'Count' },
    Describe: { Type: 'Task', Resource: DESCRIBE_ARN, ResultPath: '$.summary', Next: 'Counted' },
    Counted: { Type: 'Succeed' },
  },
});

/** A Task that throws a named error: retried on one name, caught on another, recorded, then Fail. */
const speakDefinition = JSON.stringify({
  StartAt: 'Speak',
  States: {
    Speak: {
      Type: 'Task',
      Resource: SPEAK_ARN,
      Retry: [{ ErrorEquals: ['Throttled'], IntervalSeconds: 30, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['VoiceUnavailable'], ResultPath: '$.error', Next: 'Record' }],
      End: true,
    },
    Record: {
      Type: 'Task',
      Resource: PUT_ITEM,
      Parameters: { TableName: 'voice-test', 'Item.$': '$' },
      ResultPath: null,
      Next: 'Failed',
    },
    Failed: { Type: 'Fail', Error: 'SpeechFailed', CausePath: '$.error.Cause' },
  },
});

const holdDefinition = JSON.stringify({
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
});

const blockDefinition = JSON.stringify({
  StartAt: 'Block',
  States: { Block: { Type: 'Task', Resource: BLOCK_ARN, End: true } },
});

class VoiceUnavailable extends Error {
  override name = 'VoiceUnavailable';
}
class Throttled extends Error {
  override name = 'Throttled';
}
/** Shaped like an AWS SDK service exception, as DynamoDB's client throws it. */
class ConditionalCheckFailedException extends Error {
  override name = 'ConditionalCheckFailedException';
  readonly $fault = 'client';
}

const countCalls: unknown[] = [];
const recorded: any[] = [];
const speakAttempts = new Map<string, number>();
const blockSignals: AbortSignal[] = [];

let local: StepFunctionsLocal;
let sfn: SFNClient;

beforeAll(async () => {
  local = await startStepFunctionsLocal({
    stateMachines: [
      {
        name: 'counter',
        definition: counterDefinition,
        taskHandlers: {
          [COUNT_ARN]: async (input) => {
            countCalls.push(input);
            const state = input as { count: number; limit: number };
            return { ...state, count: state.count + 1 };
          },
          [DESCRIBE_ARN]: async (input) => `counted to ${(input as { count: number }).count}`,
        },
        waitTimeOverrides: { Pause: 10 },
      },
      {
        name: 'speak',
        definition: speakDefinition,
        taskHandlers: {
          [SPEAK_ARN]: async (input) => {
            const { personality } = input as { personality: string };
            const attempt = (speakAttempts.get(personality) ?? 0) + 1;
            speakAttempts.set(personality, attempt);
            if (attempt === 1) throw new Throttled('slow down');
            throw new VoiceUnavailable(`no voice for ${personality}`);
          },
          [PUT_ITEM]: async (input) => {
            recorded.push(input);
            if ((input as any).Item.failRecord) throw new ConditionalCheckFailedException('taken');
            return {};
          },
        },
        retryIntervalOverrides: { Speak: 5 },
      },
      { name: 'hold', definition: holdDefinition, taskHandlers: {} },
      {
        name: 'block',
        definition: blockDefinition,
        taskHandlers: {
          [BLOCK_ARN]: (_input, context) => {
            blockSignals.push(context.signal);
            return new Promise(() => undefined);
          },
        },
      },
    ],
  });
  sfn = new SFNClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await local?.stop();
});

async function settled(executionArn: string, timeoutMs = 5_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const start = (machine: string, input: unknown, name: string = randomUUID()) =>
  sfn.send(
    new StartExecutionCommand({
      stateMachineArn: local.stateMachineArn(machine),
      name,
      input: JSON.stringify(input),
    }),
  );

describe('StartExecution and DescribeExecution', () => {
  it('runs Task → Choice → Wait loops with the wait overridden, then succeeds', async () => {
    const name = randomUUID();
    const before = Date.now();

    const started = await start('counter', { count: 0, limit: 3, run: name }, name);
    const described = await settled(started.executionArn!);

    expect(started.executionArn).toBe(`arn:aws:states:us-east-1:000000000000:execution:counter:${name}`);
    expect(started.startDate).toBeInstanceOf(Date);
    expect(started.startDate!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      count: 3,
      limit: 3,
      run: name,
      summary: 'counted to 3',
    });
    expect(JSON.parse(described.input!)).toEqual({ count: 0, limit: 3, run: name });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    expect(countCalls.filter((call) => (call as { run?: string }).run === name)).toHaveLength(3);
  });

  it('retries on the thrown error’s name, and Catch records its name and message as Error and Cause', async () => {
    const personality = randomUUID();

    const started = await start('speak', { personality });
    const described = await settled(started.executionArn!);

    expect(speakAttempts.get(personality)).toBe(2);
    const record = recorded.find((item) => item.Item.personality === personality);
    expect(record.TableName).toBe('voice-test');
    expect(record.Item.error.Error).toBe('VoiceUnavailable');
    // A Lambda function's error arrives as Lambda reports it: the runtime's JSON in Cause.
    const cause = JSON.parse(record.Item.error.Cause);
    expect(cause).toMatchObject({
      errorType: 'VoiceUnavailable',
      errorMessage: `no voice for ${personality}`,
    });
    expect(cause.trace[0]).toBe(`VoiceUnavailable: no voice for ${personality}`);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('SpeechFailed');
    expect(described.cause).toBe(record.Item.error.Cause);
    expect(described.output).toBeUndefined();
  });

  it('fails the execution with an uncaught error’s name and message', async () => {
    const personality = randomUUID();

    const started = await start('speak', { personality, failRecord: true });
    const described = await settled(started.executionArn!);

    expect(described.status).toBe('FAILED');
    // The optimized DynamoDB integration names service errors as Step Functions does.
    expect(described.error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(described.cause).toBe('taken');
  });

  it('answers a repeated StartExecution for a running execution with the same execution', async () => {
    const name = randomUUID();

    const first = await start('hold', { n: 1 }, name);
    const second = await start('hold', { n: 1 }, name);

    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate).toEqual(first.startDate);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('refuses the same name with another input, and a name already used by a closed execution', async () => {
    const running = randomUUID();
    const closed = randomUUID();
    const first = await start('hold', { n: 1 }, running);
    const done = await start('counter', { count: 0, limit: 1 }, closed);
    await settled(done.executionArn!);

    const otherInput = await start('hold', { n: 2 }, running).catch((error: unknown) => error);
    const reused = await start('counter', { count: 0, limit: 1 }, closed).catch((error: unknown) => error);

    expect(otherInput).toBeInstanceOf(ExecutionAlreadyExists);
    expect(otherInput).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(reused).toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('refuses an unknown state machine', async () => {
    const error = await start('no-such-machine', {}).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(StateMachineDoesNotExist);
    expect((error as Error).message).toMatch(/no-such-machine/);
  });

  it('refuses input that is not JSON', async () => {
    const attempt = sfn.send(
      new StartExecutionCommand({ stateMachineArn: local.stateMachineArn('hold'), input: '{not json' }),
    );

    await expect(attempt).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('refuses a name AWS would refuse', async () => {
    const error = await start('hold', {}, 'two words').catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'InvalidName', $metadata: { httpStatusCode: 400 } });
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:hold:${randomUUID()}`;

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });

  it('starts an unnamed execution with a generated name', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: local.stateMachineArn('counter'),
        input: '{"count":0,"limit":1}',
      }),
    );

    const described = await settled(started.executionArn!);

    expect(described.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(described.status).toBe('SUCCEEDED');
  });
});

describe('StopExecution', () => {
  it('aborts a waiting execution', async () => {
    const started = await start('hold', {});

    const stopped = await sfn.send(
      new StopExecutionCommand({
        executionArn: started.executionArn,
        error: 'Cancelled',
        cause: 'by the test',
      }),
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));

    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the test' });
    expect(described.stopDate).toEqual(stopped.stopDate);
  });

  it('aborts the signal of a task in flight', async () => {
    const started = await start('block', {});
    await expect.poll(() => blockSignals.length).toBeGreaterThan(0);
    const signal = blockSignals.at(-1)!;

    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));

    expect(signal.aborted).toBe(true);
    expect(
      (await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status,
    ).toBe('ABORTED');
  });
});

describe('ListExecutions and DescribeStateMachine', () => {
  it('lists a machine’s executions, newest first, filtered by status', async () => {
    const older = await start('counter', { count: 0, limit: 1 });
    await settled(older.executionArn!);
    const newer = await start('counter', { count: 0, limit: 1 });
    await settled(newer.executionArn!);
    const other = await start('hold', {});

    const succeeded = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: local.stateMachineArn('counter'),
        statusFilter: 'SUCCEEDED',
      }),
    );
    const running = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: local.stateMachineArn('counter'),
        statusFilter: 'RUNNING',
      }),
    );

    const arns = succeeded.executions!.map((execution) => execution.executionArn);
    expect(arns.indexOf(newer.executionArn!)).toBeLessThan(arns.indexOf(older.executionArn!));
    expect(arns).not.toContain(other.executionArn);
    expect(running.executions!.map((execution) => execution.executionArn)).not.toContain(newer.executionArn);
    const item = succeeded.executions!.find((execution) => execution.executionArn === newer.executionArn);
    expect(item).toMatchObject({ stateMachineArn: local.stateMachineArn('counter'), status: 'SUCCEEDED' });
    expect(item!.startDate).toBeInstanceOf(Date);
    await sfn.send(new StopExecutionCommand({ executionArn: other.executionArn }));
  });

  it('pages with maxResults and nextToken', async () => {
    const first = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: local.stateMachineArn('counter'), maxResults: 1 }),
    );
    const second = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: local.stateMachineArn('counter'),
        maxResults: 1,
        nextToken: first.nextToken,
      }),
    );

    expect(first.executions).toHaveLength(1);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(second.executions![0]!.executionArn).not.toBe(first.executions![0]!.executionArn);
  });

  it('describes a state machine with its definition', async () => {
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: local.stateMachineArn('counter') }),
    );

    expect(described).toMatchObject({ name: 'counter', status: 'ACTIVE', type: 'STANDARD' });
    expect(described.definition).toBe(counterDefinition);
    expect(described.creationDate).toBeInstanceOf(Date);
  });
});

describe('wire protocol', () => {
  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.Nope' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('startStepFunctionsLocal', () => {
  it('refuses a Task without a local handler when it starts', async () => {
    const attempt = startStepFunctionsLocal({
      stateMachines: [{ name: 'unbound', definition: blockDefinition, taskHandlers: {} }],
    });

    await expect(attempt).rejects.toThrow(/Block.*no local handler/);
  });

  it('refuses a wait override for a state that is not there', async () => {
    const attempt = startStepFunctionsLocal({
      stateMachines: [
        { name: 'typo', definition: holdDefinition, taskHandlers: {}, waitTimeOverrides: { Hodl: 1 } },
      ],
    });

    await expect(attempt).rejects.toThrow(/Hodl/);
  });

  it('lets the process exit once stopped, with executions still waiting and working', () => {
    const script = `
      import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
      import { startStepFunctionsLocal } from './local/step-functions.ts';
      const local = await startStepFunctionsLocal({ stateMachines: [
        { name: 'hold', definition: ${JSON.stringify(holdDefinition)}, taskHandlers: {} },
        { name: 'block', definition: ${JSON.stringify(blockDefinition)},
          taskHandlers: { ${JSON.stringify(BLOCK_ARN)}: () => new Promise(() => {}) } },
      ] });
      const sfn = new SFNClient({ endpoint: local.endpoint, region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      await sfn.send(new StartExecutionCommand({ stateMachineArn: local.stateMachineArn('hold') }));
      await sfn.send(new StartExecutionCommand({ stateMachineArn: local.stateMachineArn('block') }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await local.stop();
      console.log(JSON.stringify(local.executions().map((execution) => execution.status)));
    `;
    const started = Date.now();

    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });

    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(['ABORTED', 'ABORTED']);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
