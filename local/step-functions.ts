// The local Step Functions: AWS's JSON wire protocol on a loopback port, executions run by aws-local-stepfunctions.
import './polyfills.ts';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

type JsonValue = Parameters<StateMachine['run']>[0];
type Overrides = NonNullable<RunOptions['overrides']>;
type LocalHandler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];

/** What a task handler receives beside its input: a Lambda context, plus where it runs and a signal for stops. */
export interface TaskContext extends Context {
  executionArn: string;
  stateName: string;
  /** Aborted when the execution is stopped; the Task fails at once whatever the handler does. */
  signal: AbortSignal;
}

/**
 * Stands in for a Task's resource. A Lambda function ARN gets the state's input and returns its result; a
 * service integration (`arn:aws:states:::dynamodb:updateItem`) gets the evaluated `Parameters`.
 */
export type TaskHandler = (input: unknown, context: TaskContext) => Promise<unknown>;

export interface LocalStateMachineOptions {
  name: string;
  /** The ASL JSON, `${…}` substitutions already applied. */
  definition: string;
  /**
   * Handlers by Task `Resource`. `arn:aws:states:::lambda:invoke` is served by its own key when present,
   * otherwise by the handler of its `FunctionName` (the Payload in, `{ Payload }` out).
   */
  taskHandlers: Record<string, TaskHandler>;
  /** Wait state name → milliseconds to wait instead. */
  waitTimeOverrides?: Record<string, number>;
  /** State name → milliseconds before each retry (one number, or one per retrier). */
  retryIntervalOverrides?: Record<string, number | number[]>;
}

export interface StepFunctionsLocalOptions {
  stateMachines: LocalStateMachineOptions[];
  region?: string;
  accountId?: string;
  /** Loopback port; 0 (the default) picks a free one. */
  port?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  /** The input as sent (a JSON string). */
  input: string;
  /** JSON string, once SUCCEEDED. */
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

export interface StepFunctionsLocal {
  endpoint: string;
  region: string;
  stateMachineArn(name: string): string;
  /** Snapshots of the executions so far, oldest first. */
  executions(filter?: { stateMachineName?: string; status?: ExecutionStatus }): ExecutionRecord[];
  /** Resolves once no execution is running. */
  idle(): Promise<void>;
  /** Aborts running executions and closes the server. */
  stop(): Promise<void>;
}

/** The wire protocol's error: `{"__type": type, "message": …}` with its HTTP status. */
class ProtocolError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const MAX_REQUEST_BYTES = 1024 * 1024;
/** StartExecution's own limit on `input`. */
const MAX_INPUT_CHARACTERS = 262_144;
/** aws-local-stepfunctions' default Task timeout, used for the Lambda context's remaining time. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
const STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
/** Execution names: 1–80 characters, none of whitespace, brackets, wildcards, these specials or controls. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;
const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke$/;
const LAMBDA_FUNCTION = /^arn:aws[\w-]*:lambda:/;
const DYNAMODB_INTEGRATION = /^arn:aws[\w-]*:states:::dynamodb:/;
const EXECUTION_ARN = /^arn:aws[\w-]*:states:[^:]*:\d*:execution:[^:]+:[^:]+$/;
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[^:]*:\d*:stateMachine:[^:]+$/;

interface AslState {
  Type?: string;
  Resource?: unknown;
  Parameters?: unknown;
  TimeoutSeconds?: unknown;
  Branches?: Array<{ States?: Record<string, AslState> }>;
  ItemProcessor?: { States?: Record<string, AslState> };
  Iterator?: { States?: Record<string, AslState> };
}

/** Every state of a definition, nested Parallel branches and Map processors included. */
function allStates(states: Record<string, AslState> | undefined): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(states ?? {})) {
    found.push([name, state]);
    for (const branch of state.Branches ?? []) found.push(...allStates(branch.States));
    found.push(...allStates(state.ItemProcessor?.States), ...allStates(state.Iterator?.States));
  }
  return found;
}

/** `my-fn` from a function name, a partial ARN or a full one, without a version or alias. */
function functionName(reference: string): string {
  const match = /(?:^|:function:)([\w-]+)(?::[\w$-]+)?$/.exec(reference);
  return match?.[1] ?? reference;
}

/** JSON in and out, as between the service and a function: no shared objects, undefined becomes null. */
function throughJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/**
 * What Step Functions records for a failed task. A Lambda function's error keeps its type as `Error`, with
 * the runtime's JSON (`errorType`, `errorMessage`, `trace`) as `Cause`; an optimized DynamoDB integration
 * prefixes the service's exception name with `DynamoDB.`; anything else keeps its name and message.
 */
function taskFailure(thrown: unknown, resource: string): Error {
  const error =
    thrown instanceof Error ? thrown : Object.assign(new Error(String(thrown)), { name: 'Error' });
  let name = error.name || 'Error';
  let cause = error.message;
  if (LAMBDA_FUNCTION.test(resource) || LAMBDA_INVOKE.test(resource)) {
    const trace = (error.stack ?? `${name}: ${error.message}`).split('\n');
    cause = JSON.stringify({ errorType: name, errorMessage: error.message, trace });
  } else if (DYNAMODB_INTEGRATION.test(resource) && '$fault' in error && !name.includes('.')) {
    name = `DynamoDB.${name}`;
  }
  const failure = new Error(cause);
  failure.name = name;
  return failure;
}

function abortedTask(): Error {
  const error = new Error('The execution was stopped while this task ran.');
  error.name = 'States.Aborted';
  return error;
}

interface BoundTask {
  resource: string;
  timeoutSeconds: number;
  call: (input: JsonValue, context: TaskContext) => Promise<unknown>;
}

interface Machine {
  name: string;
  arn: string;
  definition: string;
  engine: StateMachine;
  tasks: Map<string, BoundTask>;
  waitTimeOverrides: Record<string, number>;
  retryIntervalOverrides: Record<string, number | number[]>;
  createdAt: Date;
}

interface Execution {
  record: ExecutionRecord;
  abort: () => void;
  controller: AbortController;
  done: Promise<void>;
}

/** Binds each Task state to its handler now, so a Task with none fails the start, not an execution. */
function bindTasks(options: LocalStateMachineOptions, states: Array<[string, AslState]>) {
  const tasks = new Map<string, BoundTask>();
  for (const [stateName, state] of states) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const timeoutSeconds =
      typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS;
    const direct = options.taskHandlers[resource];
    if (direct) {
      tasks.set(stateName, { resource, timeoutSeconds, call: (input, context) => direct(input, context) });
      continue;
    }
    if (!LAMBDA_INVOKE.test(resource)) {
      throw new Error(
        `State machine ${options.name}: Task state "${stateName}" calls ${resource}, which has no local handler.`,
      );
    }
    const handlerFor = (reference: string) =>
      options.taskHandlers[reference] ??
      Object.entries(options.taskHandlers).find(
        ([key]) => functionName(key) === functionName(reference),
      )?.[1];
    const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
    if (typeof parameters.FunctionName === 'string' && !handlerFor(parameters.FunctionName)) {
      throw new Error(
        `State machine ${options.name}: Task state "${stateName}" invokes ${parameters.FunctionName}, which has no local handler.`,
      );
    }
    tasks.set(stateName, {
      resource,
      timeoutSeconds,
      call: async (input, context) => {
        const request = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
        const handler =
          typeof request.FunctionName === 'string' ? handlerFor(request.FunctionName) : undefined;
        if (!handler) {
          const error = new Error(`Function not found: ${String(request.FunctionName)}`);
          error.name = 'Lambda.ResourceNotFoundException';
          throw error;
        }
        const payload = await handler(request.Payload ?? null, context);
        return { ExecutedVersion: '$LATEST', Payload: payload ?? null, StatusCode: 200 };
      },
    });
  }
  return tasks;
}

function checkOverrides(
  machine: string,
  states: Array<[string, AslState]>,
  overrides: Record<string, unknown>,
  label: string,
  accepts: (state: AslState) => boolean,
) {
  const known = new Map(states);
  for (const name of Object.keys(overrides)) {
    const state = known.get(name);
    if (!state || !accepts(state)) {
      throw new Error(`State machine ${machine}: ${label} names "${name}", which is no such state.`);
    }
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      throw new ProtocolError('ValidationException', 'Request body is too large.', 413);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Epoch seconds with milliseconds, as the JSON protocol sends timestamps. */
const epochSeconds = (date: Date) => date.getTime() / 1000;

function required(body: Record<string, unknown>, member: string): string {
  const value = body[member];
  if (typeof value !== 'string' || value === '') {
    throw new ProtocolError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function listItem(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
  };
}

/**
 * Starts the local Step Functions on a loopback port. Point the real `SFNClient` at `endpoint`
 * (any credentials). StartExecution, DescribeExecution, StopExecution, ListExecutions and
 * DescribeStateMachine are served; executions run in this process.
 */
export async function startStepFunctionsLocal(
  options: StepFunctionsLocalOptions,
): Promise<StepFunctionsLocal> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const stateMachineArn = (name: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  const roleArn = `arn:aws:iam::${accountId}:role/local-step-functions`;

  const machines = new Map<string, Machine>();
  for (const machineOptions of options.stateMachines) {
    const arn = stateMachineArn(machineOptions.name);
    if (machines.has(arn)) throw new Error(`State machine ${machineOptions.name} is defined twice.`);
    const definition = JSON.parse(machineOptions.definition) as StateMachineDefinition;
    const states = allStates(definition.States as Record<string, AslState>);
    const waitTimeOverrides = machineOptions.waitTimeOverrides ?? {};
    const retryIntervalOverrides = machineOptions.retryIntervalOverrides ?? {};
    checkOverrides(
      machineOptions.name,
      states,
      waitTimeOverrides,
      'waitTimeOverrides',
      (s) => s.Type === 'Wait',
    );
    checkOverrides(machineOptions.name, states, retryIntervalOverrides, 'retryIntervalOverrides', () => true);
    machines.set(arn, {
      name: machineOptions.name,
      arn,
      definition: machineOptions.definition,
      // The constructor validates the definition (asl-validator) and throws when it is invalid.
      engine: new StateMachine(definition),
      tasks: bindTasks(machineOptions, states),
      waitTimeOverrides,
      retryIntervalOverrides,
      createdAt: new Date(),
    });
  }

  const executions = new Map<string, Execution>();

  const finish = (record: ExecutionRecord, fields: Partial<ExecutionRecord>) => {
    if (record.status !== 'RUNNING') return;
    Object.assign(record, fields, { stopDate: new Date() });
  };

  const startExecution = (machine: Machine, name: string, input: string): Execution => {
    const executionArn = `arn:aws:states:${region}:${accountId}:execution:${machine.name}:${name}`;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      name,
      status: 'RUNNING',
      input,
      startDate: new Date(),
    };
    const controller = new AbortController();
    const { signal } = controller;
    const localHandlers: Record<string, LocalHandler> = {};
    for (const [stateName, task] of machine.tasks) {
      localHandlers[stateName] = async (taskInput) => {
        if (signal.aborted) throw abortedTask();
        const deadline = Date.now() + task.timeoutSeconds * 1000;
        const context: TaskContext = {
          callbackWaitsForEmptyEventLoop: true,
          functionName: functionName(task.resource),
          functionVersion: '$LATEST',
          invokedFunctionArn: task.resource,
          memoryLimitInMB: '512',
          awsRequestId: randomUUID(),
          logGroupName: `/aws/lambda/${functionName(task.resource)}`,
          logStreamName: 'local',
          getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
          done: () => undefined,
          fail: () => undefined,
          succeed: () => undefined,
          executionArn,
          stateName,
          signal,
        };
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(abortedTask());
          signal.addEventListener('abort', onAbort, { once: true });
        });
        try {
          const result = await Promise.race([task.call(throughJson(taskInput), context), aborted]);
          return throughJson(result);
        } catch (error) {
          throw taskFailure(error, task.resource);
        } finally {
          if (onAbort) signal.removeEventListener('abort', onAbort);
        }
      };
    }

    const run = machine.engine.run(JSON.parse(input) as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: localHandlers,
        waitTimeOverrides: machine.waitTimeOverrides,
        retryIntervalOverrides: machine.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: roleArn },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    const done = run.result.then(
      (output) => finish(record, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) return;
        if (error instanceof ExecutionTimeoutError) {
          finish(record, { status: 'TIMED_OUT', error: 'States.Timeout' });
          return;
        }
        const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
        finish(record, { status: 'FAILED', ...describeFailure(failure) });
      },
    );
    // Once the execution is over, whatever still runs for it (a timed-out task, a failed branch) is told so.
    void done.then(() => controller.abort());
    return { record, abort: run.abort, controller, done };
  };

  const stopExecution = (execution: Execution, error?: string, cause?: string) => {
    if (execution.record.status !== 'RUNNING') return;
    finish(execution.record, {
      status: 'ABORTED',
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
    execution.abort();
    execution.controller.abort();
  };

  const machineFor = (arn: string) => {
    if (!STATE_MACHINE_ARN.test(arn)) throw new ProtocolError('InvalidArn', `Invalid Arn: '${arn}'`);
    const machine = machines.get(arn);
    if (!machine) {
      throw new ProtocolError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  };
  const executionFor = (arn: string) => {
    if (!EXECUTION_ARN.test(arn)) throw new ProtocolError('InvalidArn', `Invalid Arn: '${arn}'`);
    const execution = executions.get(arn);
    if (!execution) throw new ProtocolError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution(body) {
      const machine = machineFor(required(body, 'stateMachineArn'));
      const name = body.name === undefined ? randomUUID() : String(body.name);
      if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
        throw new ProtocolError('InvalidName', `Invalid Name: '${name}'`);
      }
      const input = body.input === undefined ? '{}' : body.input;
      if (typeof input !== 'string') {
        throw new ProtocolError('SerializationException', 'input must be a string.');
      }
      if (input.length > MAX_INPUT_CHARACTERS) {
        throw new ProtocolError(
          'ValidationException',
          `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_CHARACTERS}`,
        );
      }
      try {
        JSON.parse(input);
      } catch (error) {
        throw new ProtocolError(
          'InvalidExecutionInput',
          `Invalid State Machine Execution Input: '${(error as Error).message}'`,
        );
      }
      const executionArn = `arn:aws:states:${region}:${accountId}:execution:${machine.name}:${name}`;
      const existing = executions.get(executionArn);
      if (existing) {
        // As AWS for a Standard workflow: the same request for a running execution answers it again.
        if (existing.record.status === 'RUNNING' && existing.record.input === input) {
          return { executionArn, startDate: epochSeconds(existing.record.startDate) };
        }
        throw new ProtocolError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      const execution = startExecution(machine, name, input);
      executions.set(executionArn, execution);
      return { executionArn, startDate: epochSeconds(execution.record.startDate) };
    },

    DescribeExecution(body) {
      const { record } = executionFor(required(body, 'executionArn'));
      return {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: epochSeconds(record.startDate),
        ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
        ...(record.error !== undefined ? { error: record.error } : {}),
        ...(record.cause !== undefined ? { cause: record.cause } : {}),
      };
    },

    StopExecution(body) {
      const execution = executionFor(required(body, 'executionArn'));
      stopExecution(
        execution,
        typeof body.error === 'string' ? body.error : undefined,
        typeof body.cause === 'string' ? body.cause : undefined,
      );
      return { stopDate: epochSeconds(execution.record.stopDate ?? new Date()) };
    },

    ListExecutions(body) {
      const machine = machineFor(required(body, 'stateMachineArn'));
      const statusFilter = body.statusFilter;
      if (statusFilter !== undefined && (typeof statusFilter !== 'string' || !STATUSES.has(statusFilter))) {
        throw new ProtocolError(
          'ValidationException',
          `1 validation error detected: Value '${String(statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
        );
      }
      const maxResults = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 100;
      let offset = 0;
      if (typeof body.nextToken === 'string') {
        offset = Number(Buffer.from(body.nextToken, 'base64url').toString('utf8'));
        if (!Number.isInteger(offset) || offset < 0) {
          throw new ProtocolError('InvalidToken', `Invalid Token: '${body.nextToken}'`);
        }
      }
      // Newest first, as AWS lists them.
      const matching = [...executions.values()]
        .map((execution) => execution.record)
        .filter((record) => record.stateMachineArn === machine.arn)
        .filter((record) => statusFilter === undefined || record.status === statusFilter)
        .reverse();
      const page = matching.slice(offset, offset + maxResults);
      const next = offset + page.length;
      return {
        executions: page.map(listItem),
        ...(next < matching.length ? { nextToken: Buffer.from(String(next)).toString('base64url') } : {}),
      };
    },

    DescribeStateMachine(body) {
      const machine = machineFor(required(body, 'stateMachineArn'));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definition,
        roleArn,
        type: 'STANDARD',
        creationDate: epochSeconds(machine.createdAt),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
  };

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
    });
    response.end(JSON.stringify(body));
  };

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const raw = await readBody(request);
      const operation = target.startsWith('AWSStepFunctions.')
        ? operations[target.slice('AWSStepFunctions.'.length)]
        : undefined;
      if (request.method !== 'POST' || !operation) {
        throw new ProtocolError('UnknownOperationException', `Unknown operation: '${target}'`);
      }
      let body: unknown;
      try {
        body = raw === '' ? {} : JSON.parse(raw);
      } catch {
        throw new ProtocolError('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ProtocolError('SerializationException', 'The request body must be a JSON object.');
      }
      reply(response, 200, operation(body as Record<string, unknown>));
    } catch (error) {
      if (error instanceof ProtocolError) {
        reply(response, error.status, { __type: error.type, message: error.message });
        return;
      }
      console.error('[step-functions] request failed:', error);
      reply(response, 500, { __type: 'InternalFailure', message: 'Internal failure.' });
    }
  };

  const server: Server = createServer((request, response) => {
    void serve(request, response);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  const running = () => [...executions.values()].filter((e) => e.record.status === 'RUNNING');

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    stateMachineArn,
    executions(filter = {}) {
      return [...executions.values()]
        .map((execution) => ({ ...execution.record }))
        .filter((record) => !filter.stateMachineName || record.stateMachineName === filter.stateMachineName)
        .filter((record) => !filter.status || record.status === filter.status);
    },
    async idle() {
      while (running().length > 0) await Promise.all(running().map((execution) => execution.done));
    },
    async stop() {
      const stopping = running();
      for (const execution of stopping) {
        stopExecution(execution, 'States.Aborted', 'The local Step Functions stopped.');
      }
      await Promise.all(stopping.map((execution) => execution.done));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** `Error` and `Cause` of a failed execution; a Fail state without them records none, as AWS does. */
function describeFailure(failure: unknown): { error?: string; cause?: string } {
  if (!(failure instanceof Error)) return { error: 'States.Runtime', cause: String(failure) };
  // aws-local-stepfunctions fills in a Fail state's missing Error and Cause with these defaults.
  if (failure.constructor.name === 'FailStateError') {
    return {
      ...(failure.name !== 'FailStateError' ? { error: failure.name } : {}),
      ...(failure.message !== 'Execution failed because of a Fail state' ? { cause: failure.message } : {}),
    };
  }
  return { error: failure.name, cause: failure.message };
}
