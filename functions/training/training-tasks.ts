// The voice-training state machine's task functions, named once: CDK creates a function per entry and substitutes
// its ARN for `${<Name>FunctionArn}` in the ASL file; the local stack binds the same names to the same entry files.

export const TRAINING_STATE_MACHINE_FILE = 'statemachines/voice-training.asl.json';

export const TRAINING_TASKS = {
  ValidateSamples: 'functions/training/tasks/validate-samples.ts',
  CreateVoice: 'functions/training/tasks/create-voice.ts',
  CheckVoiceStatus: 'functions/training/tasks/check-voice-status.ts',
  MarkReady: 'functions/training/tasks/mark-ready.ts',
  GenerateSampleClip: 'functions/training/tasks/generate-sample-clip.ts',
  Cleanup: 'functions/training/tasks/cleanup.ts',
  MarkFailed: 'functions/training/tasks/mark-failed.ts',
} as const;

export type TrainingTaskName = keyof typeof TRAINING_TASKS;

/** The ASL placeholder a task's function ARN replaces. */
export const taskPlaceholder = (name: TrainingTaskName) => `${name}FunctionArn`;

/** Tasks that speak or clone need the provider keys and the samples; others only the table. */
export const TRAINING_TASK_RESOURCES: Record<
  TrainingTaskName,
  { samples?: 'read' | 'readwrite'; audio?: 'readwrite'; speech?: boolean }
> = {
  ValidateSamples: {},
  CreateVoice: { samples: 'read', speech: true },
  CheckVoiceStatus: { speech: true },
  MarkReady: {},
  GenerateSampleClip: { audio: 'readwrite', speech: true },
  Cleanup: { speech: true },
  MarkFailed: {},
};
