// Voice-training task markReady: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { markReady } from '../training-steps.ts';

export const handler = trainingTask('markReady', markReady);
