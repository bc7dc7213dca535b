// The voice-training state machine on the local stack: the same ASL file, run by the Step Functions stand-in, its
// tasks bound to the same task handlers, and sample uploads checked by the same validator as S3 events in AWS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { S3Event } from 'aws-lambda';
import {
  TRAINING_STATE_MACHINE_FILE,
  TRAINING_TASKS,
  taskPlaceholder,
  type TrainingTaskName,
} from '../functions/training/training-tasks.ts';
import { forwardObjectCreated } from './s3-events.ts';
import type { S3Local } from './s3-local.ts';
import { startStepFunctionsLocal, type StepFunctionsLocal, type TaskHandler } from './step-functions.ts';

export const TRAINING_STATE_MACHINE_NAME = 'voice-training';
const VALIDATOR_ENTRY = 'functions/training/handlers/validate-sample.ts';

export interface LocalTrainingOptions {
  root: string;
  region: string;
  tableName: string;
  dynamodbEndpoint: string;
  s3: S3Local;
  samplesBucket: string;
  /** Tests only: the wait between provider status checks, and between task retries, in milliseconds. */
  waitMs?: number;
  retryMs?: number;
}

async function entryHandler(root: string, entry: string): Promise<(input: unknown) => Promise<unknown>> {
  const module = (await import(pathToFileURL(join(root, entry)).href)) as {
    handler: (input: unknown) => Promise<unknown>;
  };
  return module.handler;
}

/** The ASL's placeholders filled as CDK fills them in AWS, with local function ARNs. */
export function localDefinition(
  root: string,
  region: string,
  tableName: string,
): { definition: string; arns: Record<TrainingTaskName, string> } {
  const arns = Object.fromEntries(
    Object.keys(TRAINING_TASKS).map((name) => [
      name,
      `arn:aws:lambda:${region}:000000000000:function:voice-training-${name}`,
    ]),
  ) as Record<TrainingTaskName, string>;
  const values: Record<string, string> = { TableName: tableName };
  for (const name of Object.keys(arns) as TrainingTaskName[]) values[taskPlaceholder(name)] = arns[name];
  const definition = readFileSync(join(root, TRAINING_STATE_MACHINE_FILE), 'utf8').replace(
    /\$\{(\w+)\}/g,
    (placeholder, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`${TRAINING_STATE_MACHINE_FILE}: no value for ${placeholder}`);
      return value;
    },
  );
  return { definition, arns };
}

export async function startTrainingLocal(
  options: LocalTrainingOptions,
): Promise<{ stepFunctions: StepFunctionsLocal; stateMachineArn: string; stop(): Promise<void> }> {
  const { definition, arns } = localDefinition(options.root, options.region, options.tableName);
  const dynamodb = new DynamoDBClient({ region: options.region, endpoint: options.dynamodbEndpoint });
  const taskHandlers: Record<string, TaskHandler> = {
    // The direct DynamoDB integration: the state's Parameters are the UpdateItem request, as in AWS.
    'arn:aws:states:::dynamodb:updateItem': async (input) =>
      dynamodb.send(new UpdateItemCommand(input as UpdateItemCommandInput)),
  };
  for (const [name, entry] of Object.entries(TRAINING_TASKS) as Array<[TrainingTaskName, string]>) {
    taskHandlers[arns[name]] = async (input) => (await entryHandler(options.root, entry))(input);
  }
  const taskStates = Object.keys(TRAINING_TASKS).concat('RecordVoiceCreated');
  const stepFunctions = await startStepFunctionsLocal({
    region: options.region,
    stateMachines: [
      {
        name: TRAINING_STATE_MACHINE_NAME,
        definition,
        taskHandlers,
        ...(options.waitMs !== undefined ? { waitTimeOverrides: { WaitForVoice: options.waitMs } } : {}),
        ...(options.retryMs !== undefined
          ? {
              retryIntervalOverrides: Object.fromEntries(
                taskStates.map((state) => [state, options.retryMs!]),
              ),
            }
          : {}),
      },
    ],
  });
  const unsubscribe = forwardObjectCreated(options.s3.server, options.samplesBucket, async (event: S3Event) =>
    (await entryHandler(options.root, VALIDATOR_ENTRY))(event),
  );
  return {
    stepFunctions,
    stateMachineArn: stepFunctions.stateMachineArn(TRAINING_STATE_MACHINE_NAME),
    stop: async () => {
      unsubscribe();
      await stepFunctions.stop();
      dynamodb.destroy();
    },
  };
}
