// Voice-training task cleanup: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { cleanup } from '../training-steps.ts';

export const handler = trainingTask('cleanup', cleanup);
