// Voice-training task generateSampleClip: one step of statemachines/voice-training.asl.json.
import { trainingTask } from '../task-handler.ts';
import { generateSampleClip } from '../training-steps.ts';

export const handler = trainingTask('generateSampleClip', generateSampleClip);
