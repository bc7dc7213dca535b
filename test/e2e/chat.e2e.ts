// The chat playground in a browser on the local stack: a message to a chosen personality, the reply shown while it is
// spoken, one playable audio element per spoken sentence (checked against the stored conversation), the conversation
// reopened from this tab's history; refusals and unspoken sentences shown; screenshots and an accessibility check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { checkAccessibility, screenshot, startConsole } from './support.ts';

type ConsoleApp = Awaited<ReturnType<typeof startConsole>>;

let app: ConsoleApp;
let adminToken: string;

beforeAll(async () => {
  app = await startConsole();
  const answer = await fetch(`${app.url}/local-auth/token?tenant=demo&role=admin`);
  expect(answer.status).toBe(200);
  adminToken = ((await answer.json()) as { token: string }).token;
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

/** The stored conversation, read as the console's own admin would through the API. */
async function storedConversation(id: string) {
  const response = await fetch(`${app.url}/api/conversations/${id}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    id: string;
    messages: { role: 'user' | 'assistant'; text: string; audio_urls: string[] }[];
  };
}

async function openChat(page: Page): Promise<Locator> {
  await page.goto(`${app.url}/chat`);
  await page.getByRole('heading', { name: 'Chat playground', level: 1 }).waitFor();
  const message = page.getByRole('textbox', { name: 'Message' });
  // The box is enabled once the personalities have loaded and one is chosen.
  await expect.poll(() => message.isEnabled(), { timeout: 30_000 }).toBe(true);
  return message;
}

async function choosePersonality(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: /^Personality/ }).click();
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await expect(page.getByRole('button', { name: /^Personality/ }).textContent()).resolves.toContain(name);
}

/** Each audio element of a reply with its source and length, once the browser has read the files' headers. */
async function audioFiles(reply: Locator) {
  const audio = reply.getByRole('group', { name: 'Reply audio' }).locator('audio');
  await expect
    .poll(
      () =>
        audio.evaluateAll((elements) =>
          elements.every((element) => (element as HTMLAudioElement).duration > 0),
        ),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
  return audio.evaluateAll((elements) =>
    elements.map((element) => {
      const media = element as HTMLAudioElement;
      return { src: media.src, label: media.getAttribute('aria-label'), duration: media.duration };
    }),
  );
}

/** A short tone as a WAV data URL: audio the browser can play without any server. */
function toneUrl(seconds: number): string {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i += 1) {
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return `data:audio/wav;base64,${wav.toString('base64')}`;
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const fakeStart = {
  conversation_id: 'c-0123456789abcdef0123',
  personality: { id: 'marcel', name: 'Marcel' },
  user_message_id: 'm-1',
  model_provider: 'offline',
};

describe('chat playground', () => {
  it('streams a reply from the chosen personality, one playable audio per sentence, and reopens it from history', async () => {
    // Prepare
    const page = await app.page(1280);
    const message = await openChat(page);
    await page.getByText('No messages yet').waitFor();
    await choosePersonality(page, 'Zac');
    const question = 'Hello! What would you recommend for a quiet evening?';

    // Act: Enter sends.
    await message.fill(question);
    await message.press('Enter');

    // Assess: the reply's text shows while its sentences are still being spoken, then the reply completes.
    const reply = page.getByRole('listitem', { name: 'Reply from Zac' });
    await reply.getByText('Speaking…').waitFor({ timeout: 60_000 });
    const whileSpeaking = await reply.textContent();
    await reply.getByText('Reply complete').waitFor({ timeout: 120_000 });
    await expect(message.inputValue()).resolves.toBe('');

    // Assess: one audio element per stored audio file of the reply, each with a source and a length.
    const conversationId = (await page.getByText(/^Conversation c-/).textContent())!.replace(
      'Conversation ',
      '',
    );
    const stored = await storedConversation(conversationId);
    expect(stored.messages.map((item) => item.role)).toEqual(['user', 'assistant']);
    expect(stored.messages[0]!.text).toBe(question);
    const spoken = stored.messages[1]!.audio_urls.length;
    expect(spoken).toBeGreaterThan(0);
    const files = await audioFiles(reply);
    expect(files).toHaveLength(spoken);
    files.forEach((file, index) => {
      expect(file.src).toMatch(/^https?:\/\//);
      expect(file.label).toBe(`Sentence ${index + 1}`);
      expect(file.duration).toBeGreaterThan(0);
    });
    await reply
      .getByText(`${spoken} of ${spoken} ${spoken === 1 ? 'sentence' : 'sentences'} spoken`)
      .waitFor();
    const replyText = stored.messages[1]!.text;
    await expect(reply.textContent()).resolves.toContain(replyText);
    expect(whileSpeaking).toContain(replyText.split(/(?<=[.!?])\s/)[0]);
    await screenshot(page, 'chat-reply-1280');
    await checkAccessibility(page, 'chat playground with a reply');

    // Act: start afresh, reload the tab, and open the conversation from this tab's history.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByText('No messages yet').waitFor();
    await page.reload();
    await openChat(page);
    await page.getByRole('link', { name: `Open conversation: ${question}` }).click();

    // Assess: both messages are back, the reply with its audio to replay.
    await page
      .getByRole('listitem', { name: 'Your message' })
      .getByText(question)
      .waitFor({ timeout: 30_000 });
    const reopened = page.getByRole('listitem', { name: 'Reply from Zac' });
    await expect(reopened.textContent()).resolves.toContain(stored.messages[1]!.text);
    expect(await audioFiles(reopened)).toHaveLength(spoken);

    // Act: replay the reply's audio.
    await reopened.getByRole('button', { name: 'Replay' }).click();

    // Assess: the sentences play one after the other, the second once the first has ended.
    const sentences = reopened.getByRole('group', { name: 'Reply audio' }).locator('audio');
    await expect
      .poll(() => sentences.nth(0).evaluate((element) => (element as HTMLAudioElement).currentTime), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    if (spoken > 1) {
      await expect
        .poll(() => sentences.nth(1).evaluate((element) => (element as HTMLAudioElement).currentTime), {
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
      expect(await sentences.nth(0).evaluate((element) => (element as HTMLAudioElement).ended)).toBe(true);
    }
    await page.getByText(`Conversation ${conversationId}`).waitFor();

    // Assess: a phone-width screen shows the same without scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(390);
    await screenshot(page, 'chat-history-390');
  }, 240_000);

  it("shows the API's message when a message is refused, and gives the text back", async () => {
    // Prepare: the stream route refuses as the API does before any event, with its error envelope.
    const page = await app.page(1280);
    await page.route('**/api/chat/stream', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'rate_limited', message: 'Too many requests: wait a moment.' },
        }),
      }),
    );
    const message = await openChat(page);

    // Act
    await message.fill('Are you there?');
    await message.press('Enter');

    // Assess
    await page.getByText('Too many requests: wait a moment.').waitFor();
    await page.getByText('The message was not sent').waitFor();
    await expect(message.inputValue()).resolves.toBe('Are you there?');
    await page.getByText('No messages yet').waitFor();
  }, 60_000);

  it('shows a sentence that could not be spoken beside the reply, and a failed reply as an error', async () => {
    // Prepare: a stream as the API sends it when one sentence's speech fails and then when the model fails.
    const start = fakeStart;
    const page = await app.page(1280);
    let turn = 0;
    await page.route('**/api/chat/stream', (route) => {
      turn += 1;
      const body =
        turn === 1
          ? [
              frame('start', start),
              frame('text', { delta: 'First sentence. ' }),
              frame('text', { delta: 'Second sentence.' }),
              frame('error', { index: 0, code: 'speech_unavailable', message: 'No voice could speak this.' }),
              frame('error', { index: 1, code: 'speech_unavailable', message: 'No voice could speak this.' }),
              frame('done', {
                conversation_id: start.conversation_id,
                message_ids: { user: 'm-1', assistant: 'm-2' },
                text: 'First sentence. Second sentence.',
                sentences: 2,
              }),
            ]
          : [
              frame('start', start),
              frame('error', { code: 'model_unavailable', message: 'The model did not answer in time.' }),
              frame('done', {
                conversation_id: start.conversation_id,
                message_ids: { user: 'm-3', assistant: null },
              }),
            ];
      return route.fulfill({ status: 200, contentType: 'text/event-stream', body: body.join('') });
    });
    const message = await openChat(page);

    // Act
    await message.fill('Say two things.');
    await message.press('Enter');

    // Assess: each unspoken sentence is named beside the reply, whose text stays.
    const reply = page.getByRole('listitem', { name: 'Reply from Marcel' });
    await reply.getByText('Sentence 1 could not be spoken: No voice could speak this.').waitFor();
    await reply.getByText('Sentence 2 could not be spoken: No voice could speak this.').waitFor();
    await reply.getByText('0 of 2 sentences spoken').waitFor();
    await expect(reply.locator('audio').count()).resolves.toBe(0);

    // Act: the next turn's model fails.
    await message.fill('And again?');
    await message.press('Enter');

    // Assess
    await page.getByText('The model did not answer in time.').waitFor();
    await page.getByText('Reply failed').waitFor();
    await checkAccessibility(page, 'chat playground with failures');
  }, 60_000);

  it('offers a Play button when the browser will not start audio on its own, then plays the sentences in order', async () => {
    // Prepare: a browser's autoplay rule, made strict: no sound before a real key press or pointer press in the page.
    // (Chromium's own flag cannot be used: every script a test runs in the page counts as a gesture.)
    const page = await app.page(1280);
    await page.addInitScript(() => {
      let gesture = false;
      for (const type of ['pointerdown', 'keydown']) {
        addEventListener(type, (event) => (gesture ||= event.isTrusted), { capture: true });
      }
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        if (!gesture)
          return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
        return play.call(this);
      };
    });
    const tone = toneUrl(0.4);
    await page.route('**/api/chat/stream', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: [
          frame('start', fakeStart),
          frame('text', { delta: 'One. Two.' }),
          frame('audio', { index: 0, text: 'One.', url: tone, provider: 'local', cached: false }),
          frame('audio', { index: 1, text: 'Two.', url: tone, provider: 'local', cached: true }),
          frame('done', {
            conversation_id: fakeStart.conversation_id,
            message_ids: { user: 'm-1', assistant: 'm-2' },
            text: 'One. Two.',
            sentences: 2,
          }),
        ].join(''),
      }),
    );
    const message = await openChat(page);
    // Typed and sent by script, not by key presses or clicks, so the page has had no user gesture.
    await message.evaluate((element) => {
      const textarea = element as HTMLTextAreaElement;
      // React tracks the value it set; the prototype's setter makes the change visible to its input handler.
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(
        textarea,
        'Count to two.',
      );
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect(message.inputValue()).resolves.toBe('Count to two.');
    await message.evaluate((element) =>
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })),
    );

    // Assess: the reply is there, its audio held back with a visible Play button.
    const reply = page.getByRole('listitem', { name: 'Reply from Marcel' });
    await reply.getByText('2 of 2 sentences spoken').waitFor();
    await reply.getByText('Your browser did not let the audio start on its own.').waitFor();
    const sentences = reply.getByRole('group', { name: 'Reply audio' }).locator('audio');
    expect(
      await sentences.evaluateAll((elements) =>
        elements.map((element) => (element as HTMLAudioElement).paused),
      ),
    ).toEqual([true, true]);

    // Act
    await reply.getByRole('button', { name: 'Play' }).click();

    // Assess: the first sentence plays, then the second once the first has ended.
    await expect
      .poll(() => sentences.nth(1).evaluate((element) => (element as HTMLAudioElement).currentTime), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    expect(await sentences.nth(0).evaluate((element) => (element as HTMLAudioElement).ended)).toBe(true);
  }, 60_000);
});
