// The chat agent's pure decisions: history within a token budget, styling by humour level, sentence detection.
import { describe, expect, it } from 'vitest';
import { estimateTokens, modelMessages, styleReply } from '../../../functions/chat/agent.ts';
import { SentenceFeeder } from '../../../functions/chat/chat-stream.ts';
import type { StoredMessage } from '../../../functions/chat/conversations.ts';
import { builtinPersonality } from '../../../functions/personalities/builtins.ts';

const zac = builtinPersonality('zac')!;

function message(seq: number, role: 'user' | 'assistant', text: string, model_text?: string): StoredMessage {
  return {
    tenant_id: 't',
    conversation_id: 'c',
    seq: String(seq),
    id: `m${seq}`,
    role,
    text,
    ...(model_text ? { model_text } : {}),
    personality_id: 'zac',
    created_at: '',
  };
}

describe('modelMessages', () => {
  const history = Array.from({ length: 10 }, (_, n) =>
    message(n + 1, n % 2 ? 'assistant' : 'user', `turn ${n} `.repeat(20)),
  );

  it('sends the system prompt, the newest history that fits, and the new message', () => {
    const messages = modelMessages(zac, history, 'new question', 150);

    expect(messages[0]).toMatchObject({ role: 'system' });
    expect(messages[0]!.content).toContain('You are Zac');
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'new question' });
    const kept = messages.slice(1, -1);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    expect(kept.at(-1)!.content).toBe(history.at(-1)!.text);
    expect(kept.reduce((sum, m) => sum + estimateTokens(m.content), 0)).toBeLessThanOrEqual(150);
  });

  it('keeps whole messages, newest first, and sends none when none fits', () => {
    expect(modelMessages(zac, history, 'q', 10)).toHaveLength(2);
    expect(modelMessages(zac, history, 'q', 100_000)).toHaveLength(12);
  });

  it('gives the model its own words back, not the styled text shown', () => {
    const styled = [message(1, 'user', 'hi'), message(2, 'assistant', 'Yo! 🤙', 'Yo!')];

    expect(modelMessages(zac, styled, 'q', 1000)[2]).toEqual({ role: 'assistant', content: 'Yo!' });
  });
});

describe('styleReply', () => {
  const ids = Array.from({ length: 400 }, (_, n) => `m-${n}`);

  it('adds the emoji to about humour level × 10 % of replies, the same way for the same message id', () => {
    const styled = ids.filter((id) => styleReply('Hey there.', zac, id).endsWith(zac.emoji!)).length;

    const expected = zac.traits.humor_level! / 10;
    expect(styled / ids.length).toBeGreaterThan(expected - 0.08);
    expect(styled / ids.length).toBeLessThan(expected + 0.08);
    expect(ids.map((id) => styleReply('Hey.', zac, id))).toEqual(
      ids.map((id) => styleReply('Hey.', zac, id)),
    );
  });

  it('never styles a personality without humour, or without an emoji, and never doubles one', () => {
    const serious = { ...zac, traits: { ...zac.traits, humor_style: 'none' as const } };

    expect(ids.every((id) => styleReply('Good day.', serious, id) === 'Good day.')).toBe(true);
    expect(styleReply('Hi', { ...zac, emoji: undefined }, 'm-1')).toBe('Hi');
    expect(styleReply(`Hi ${zac.emoji}`, zac, 'm-1')).toBe(`Hi ${zac.emoji}`);
  });
});

describe('SentenceFeeder', () => {
  /** Feeds the deltas and notes, for each sentence let go, the delta that let it go. */
  function feed(deltas: string[]) {
    const feeder = new SentenceFeeder();
    const released: Array<[number, string]> = [];
    deltas.forEach((delta, index) => {
      for (const sentence of feeder.push(delta)) released.push([index, sentence]);
    });
    return { released, rest: feeder.flush(), feeder };
  }

  it('lets a sentence go as soon as its end is certain, and holds one that may go on', () => {
    const { released, rest } = feed([
      'Welcome ',
      'in. ',
      'Dr. Green ',
      'says hi',
      '. Our 2.5',
      'mg gummies ',
      'are great',
      '!',
    ]);

    expect(released).toEqual([
      [1, 'Welcome in.'],
      [4, 'Dr. Green says hi.'],
      [7, 'Our 2.5mg gummies are great!'],
    ]);
    expect(rest).toEqual([]);
  });

  it('waits for the next words after an abbreviation, a number, an initial or an ellipsis', () => {
    for (const [held, next, sentences] of [
      ['Ask Dr.', ' Green.', ['Ask Dr. Green.']],
      ['That is $2.', '50 a gram.', ['That is $2.50 a gram.']],
      ['Written by J.', ' R. R. Tolkien.', ['Written by J. R. R. Tolkien.']],
      ['I mean…', " it's good.", ["I mean… it's good."]],
      ['Open at 9 a.m.', ' Come by!', ['Open at 9 a.m. Come by!']],
    ] as const) {
      const { released, rest } = feed([held, next]);

      expect(released.filter(([index]) => index === 0)).toEqual([]);
      expect([...released.map(([, sentence]) => sentence), ...rest]).toEqual(sentences);
    }
  });

  it('lets a sentence go after its closing quote, and flushes what never ended', () => {
    const { released, rest } = feed(['He said "try it!"', ' And then', ' left']);

    expect(released).toEqual([[0, 'He said "try it!"']]);
    expect(rest).toEqual(['And then left']);
  });
});
