// Voice-training task markFailed: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { markFailed } from '../training-steps.ts';

export const handler = trainingTask('markFailed', markFailed);
