// Voice-training task createVoice: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { createVoice } from '../training-steps.ts';

export const handler = trainingTask('createVoice', createVoice);
