// Wraps a training step as a Step Functions task: logs with the job's ids, and lets errors keep their names, which
// the state machine's Retry and Catch match on.
import { logger } from '../powertools.ts';
import { isStoreUnavailable } from '../store/availability.ts';
import type { TrainingState } from './schemas.ts';
import { TrainingError } from './training-steps.ts';

export function trainingTask<R>(name: string, step: (state: TrainingState) => Promise<R>) {
  return async (state: TrainingState): Promise<R> => {
    logger.resetKeys();
    logger.appendKeys({
      task: name,
      tenantId: state.tenant_id,
      personalityId: state.personality_id,
      trainingJobId: state.job_id,
    });
    try {
      const result = await step(state);
      logger.info('training task done');
      return result;
    } catch (error) {
      logger.warn('training task failed', { error: error as Error });
      // The table or bucket briefly away: a named TransientError, which the ASL retries instead of giving up. Its
      // message may end up as the training's reason, so it names no address; the cause is in the log above.
      if (isStoreUnavailable(error))
        throw new TrainingError('TransientError', `${name}: the platform's storage could not be reached`);
      throw error;
    }
  };
}
