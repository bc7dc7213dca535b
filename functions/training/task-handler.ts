// Wraps a training step as a Step Functions task: logs with the job's ids, and lets errors keep their names, which
// the state machine's Retry and Catch match on.
import { logger } from '../powertools.ts';
import type { TrainingState } from './schemas.ts';

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
      throw error;
    }
  };
}
