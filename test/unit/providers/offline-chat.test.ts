// Unit test: the offline phrase-book model answers in the personality's voice, reproducibly, and never medically.
import { describe, expect, it } from 'vitest';
import { builtinPersonalities } from '../../../functions/personalities/builtins.ts';
import { createOfflineChatModel, OFFLINE_MODEL } from '../../../functions/providers/llm/offline.ts';
import type { ChatRequest, PersonaHints } from '../../../functions/providers/llm/port.ts';

const model = createOfflineChatModel();

const personas: PersonaHints[] = builtinPersonalities.map((personality) => ({
  name: personality.name,
  ...personality.response_style,
}));
const marcel = personas.find((persona) => persona.name === 'Marcel')!;

function request(text: string, seed = 'seed-1', persona: PersonaHints = marcel): ChatRequest {
  return {
    messages: [
      { role: 'system', content: `You are ${persona.name}, a budtender.` },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Welcome in.' },
      { role: 'user', content: text },
    ],
    seed,
    persona,
  };
}

const say = async (text: string, seed?: string, persona?: PersonaHints) =>
  (await model.complete(request(text, seed, persona))).text;

const seeds = Array.from({ length: 20 }, (_, index) => `seed-${index}`);
const MEDICAL = /cure|treat|heal/i;

describe('offline chat model', () => {
  it('names itself offline and answers with no usage', async () => {
    const reply = await model.complete(request('Hi there!'));

    expect(model).toMatchObject({ name: 'offline', model: OFFLINE_MODEL });
    expect(reply.model).toBe('offline-phrasebook');
    expect(reply.usage).toBeUndefined();
  });

  it('gives the same text for the same seed and input', async () => {
    const first = await say('Can you recommend something to relax?', 'same');
    const second = await say('Can you recommend something to relax?', 'same');

    expect(second).toBe(first);
  });

  it('varies with the seed', async () => {
    const replies = new Set(await Promise.all(seeds.map((seed) => say('What do you recommend?', seed))));

    expect(replies.size).toBeGreaterThanOrEqual(5);
  });

  it('opens, recommends and closes with the persona’s own phrases', async () => {
    for (const persona of personas) {
      const text = await say('Could you recommend something for a chill evening?', 'voice', persona);

      expect(persona.opening_phrases?.some((phrase) => text.startsWith(phrase))).toBe(true);
      expect(persona.product_transitions?.some((phrase) => text.includes(phrase))).toBe(true);
      expect(persona.closing_phrases?.some((phrase) => text.endsWith(phrase))).toBe(true);
    }
  });

  it('falls back to neutral phrases for a persona without any', async () => {
    const text = await say('Got any gummies?', 'plain', { name: 'Nameless' });

    expect(text).toMatch(/edible|gumm/i);
    expect(text.length).toBeGreaterThan(40);
  });

  const intents: Array<[string, string, RegExp]> = [
    ['a greeting', 'Hey!', /good to meet you|glad you stopped by/i],
    ['relaxing', 'I want to relax after work', /unwind|mellow|calm|edge off/i],
    ['energy', 'Something energizing for a hike?', /daytime|uplifting|active|sativa/i],
    ['sleep', 'What helps me sleep?', /bedtime|sleepy|evening|night/i],
    [
      'pain, without medical claims',
      'My back pain is bad, what do you have?',
      /comfortable|gentle|doctor|pharmacist/i,
    ],
    ['edibles', 'Do you sell edibles?', /edibles|gumm|chocolate/i],
    ['prices and specials', 'Any specials today?', /price|special|deal|budget/i],
    ['hours', 'What are your hours?', /hours/i],
    ['a first-time buyer', "It's my first time, any advice?", /first|new folks|low dose/i],
    ['thanks and goodbye', 'Thanks so much, bye!', /welcome|pleasure/i],
  ];

  it.each(intents)('answers %s sensibly', async (_intent, text, expected) => {
    for (const seed of seeds.slice(0, 5)) expect(await say(text, seed)).toMatch(expected);
  });

  it('quotes a few of the customer’s words when it does not recognise the question', async () => {
    const text = await say('What is the story behind your store name and its history?', 'fallback');

    expect(text).toContain('"What is the story behind your…"');
    expect(text).not.toContain('history');
  });

  it('makes no medical claims, whatever is asked', async () => {
    const questions = intents.map(([, question]) => question).concat('Will it cure my arthritis?');
    for (const persona of personas) {
      for (const seed of seeds.slice(0, 5)) {
        for (const question of questions) {
          const text = await say(question, seed, persona);
          expect(text.replace(question.slice(0, 40), '')).not.toMatch(MEDICAL);
        }
      }
    }
  });

  it('grows with response_length: short < medium < long', async () => {
    const average = async (length: PersonaHints['response_length']) => {
      const texts = await Promise.all(
        seeds.map((seed) =>
          say('Can you recommend something to relax?', seed, { ...marcel, response_length: length }),
        ),
      );
      return texts.reduce((sum, text) => sum + text.length, 0) / texts.length;
    };

    const [short, medium, long] = [await average('short'), await average('medium'), await average('long')];

    expect(short).toBeLessThan(medium);
    expect(medium).toBeLessThan(long);
  });

  it('streams word by word, joining to exactly the text complete() gives', async () => {
    const input = request('Any edibles for a relaxed night in?', 'stream');
    const pieces: string[] = [];
    for await (const piece of model.stream(input)) pieces.push(piece);

    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.every((piece) => /^\S+\s*$/.test(piece))).toBe(true);
    expect(pieces.join('')).toBe((await model.complete(input)).text);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(model.complete({ ...request('Hi'), signal: controller.signal })).rejects.toMatchObject({
      kind: 'timeout',
    });
  });
});
