// Voice-training task checkVoiceStatus: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { checkVoiceStatus } from '../training-steps.ts';

export const handler = trainingTask('checkVoiceStatus', checkVoiceStatus);
