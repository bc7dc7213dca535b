// Voice-training task validateSamples: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { validateSamples } from '../training-steps.ts';

export const handler = trainingTask('validateSamples', validateSamples);
