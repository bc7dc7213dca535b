// Starts voice-training executions: Step Functions in AWS, its local stand-in on the local stack.
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { config } from '../config.ts';
import type { TrainingState } from './schemas.ts';

let client: SFNClient | undefined;

function stepFunctions(): SFNClient {
  if (client) return client;
  const { region, training } = config();
  client = new SFNClient({
    region,
    ...(training.stepFunctionsEndpoint ? { endpoint: training.stepFunctionsEndpoint } : {}),
  });
  return client;
}

/**
 * Starts the execution named after the job: Step Functions refuses a second execution of the same name, so a
 * request repeated while the first runs starts nothing new.
 */
export async function startTrainingExecution(state: TrainingState): Promise<string> {
  const { stateMachineArn } = config().training;
  if (!stateMachineArn) throw new Error('TRAINING_STATE_MACHINE_ARN is not configured');
  try {
    const started = await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn,
        name: `vt-${state.job_id}`,
        input: JSON.stringify(state),
      }),
    );
    return started.executionArn!;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
      return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:vt-${state.job_id}`;
    }
    throw error;
  }
}
