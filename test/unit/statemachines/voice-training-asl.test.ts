// The voice-training ASL file: valid Amazon States Language, every task bound, every failure path cleaning up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  TRAINING_STATE_MACHINE_FILE,
  TRAINING_TASKS,
  taskPlaceholder,
} from '../../../functions/training/training-tasks.ts';
import { REPOSITORY_ROOT } from '../../../local/stack.ts';
import { localDefinition } from '../../../local/training.ts';

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Choices?: Array<{ Next: string }>;
  Retry?: Array<{ ErrorEquals: string[] }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
}

const source = readFileSync(join(REPOSITORY_ROOT, TRAINING_STATE_MACHINE_FILE), 'utf8');
const asl = JSON.parse(source) as { StartAt: string; States: Record<string, State> };

describe('voice-training.asl.json', () => {
  it('passes asl-validator as written, placeholders and all, and once filled in as the local stack fills it', () => {
    const written = aslValidator(structuredClone(asl), { checkPaths: true, checkArn: true });
    const filled = aslValidator(
      JSON.parse(localDefinition(REPOSITORY_ROOT, 'us-east-1', 'voice-test').definition),
      {
        checkPaths: true,
        checkArn: true,
      },
    );

    expect(written.isValid, written.errorsText()).toBe(true);
    expect(filled.isValid, filled.errorsText()).toBe(true);
  });

  it('has a placeholder for every training task, and no task without one', () => {
    const placeholders = [...source.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);

    expect(new Set(placeholders)).toEqual(
      new Set([
        'TableName',
        ...Object.keys(TRAINING_TASKS).map((name) => taskPlaceholder(name as keyof typeof TRAINING_TASKS)),
      ]),
    );
  });

  it('retries transient errors and catches everything into Cleanup in every task before the end', () => {
    for (const [name, state] of Object.entries(asl.States)) {
      if (state.Type !== 'Task' || name === 'Cleanup' || name === 'MarkFailed') continue;
      expect(
        state.Retry?.some(
          (retry) =>
            retry.ErrorEquals.includes('TransientError') ||
            retry.ErrorEquals.some((error) => error.startsWith('DynamoDB.')),
        ),
        name,
      ).toBe(true);
      expect(state.Catch, name).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Cleanup' }),
      ]);
    }
    expect(asl.States.Cleanup?.Next).toBe('MarkFailed');
    expect(asl.States.MarkFailed?.Next).toBe('TrainingFailed');
    expect(asl.States.TrainingFailed?.Type).toBe('Fail');
  });

  it('reaches every state from the start', () => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const state = asl.States[name]!;
      for (const next of [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c) => c.Next),
        ...(state.Catch ?? []).map((c) => c.Next),
      ]) {
        if (next) visit(next);
      }
    };
    visit(asl.StartAt);

    expect([...seen].sort()).toEqual(Object.keys(asl.States).sort());
  });

  it('loops on the provider’s status only through a Wait, so the loop is paced', () => {
    expect(asl.States.IsVoiceReady?.Default).toBe('WaitForVoice');
    expect(asl.States.WaitForVoice?.Next).toBe('CheckVoiceStatus');
    expect(asl.States.CheckVoiceStatus?.Next).toBe('IsVoiceReady');
  });
});
