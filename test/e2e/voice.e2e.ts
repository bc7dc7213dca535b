// The voice page in a browser on the local stack: recordings dropped in and checked, a voice trained with consent,
// a test phrase spoken in it, the custom voice deleted; screenshots and an accessibility check at two widths.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loop, speechSamples, wav } from '../fixtures/audio-fixtures.ts';
import { checkAccessibility, screenshot, startConsole } from './support.ts';

type ConsoleApp = Awaited<ReturnType<typeof startConsole>>;

let app: ConsoleApp;
let recordings: string;

beforeAll(async () => {
  app = await startConsole();
  // Two takes of offline eSpeak speech, 35 s and 36 s: together past the 60 s a voice needs.
  recordings = await mkdtemp(join(tmpdir(), 'voice-e2e-'));
  const speech = await speechSamples();
  await writeFile(join(recordings, 'first take.wav'), wav(loop(speech, 35)));
  await writeFile(join(recordings, 'second take.wav'), wav(loop(speech, 36)));
}, 180_000);

afterAll(async () => {
  await app?.stop();
  if (recordings) await rm(recordings, { recursive: true, force: true });
});

describe('voice page', () => {
  it('checks uploaded recordings, trains a voice with consent, and plays a test phrase in it', async () => {
    // Prepare
    const page = await app.page(1280);
    await page.goto(`${app.url}/personalities/zac/voice`);
    await page.getByRole('heading', { name: /Zac: voice/ }).waitFor();
    const recordingsTable = page.getByRole('table', { name: 'Recordings' });

    // Act: upload both takes through the page's file input.
    await page
      .getByLabel('Choose audio files')
      .setInputFiles([join(recordings, 'first take.wav'), join(recordings, 'second take.wav')]);

    // Assess: both are listed, judged valid by the validator, and counted in the total.
    await expect
      .poll(() => recordingsTable.getByText('Valid', { exact: true }).count(), { timeout: 90_000 })
      .toBe(2);
    await recordingsTable.getByRole('rowheader', { name: 'second take.wav' }).waitFor();
    await page.getByText('Valid recordings: 1:11 / 10:00', { exact: true }).waitFor();

    // Act: the speaker's consent, attested, then train.
    await page.getByLabel('Speaker’s name').fill('Test Speaker');
    await page.getByLabel('Attested by').fill('admin@example.com');
    expect(await page.getByLabel('Consent statement').inputValue()).toContain('Test Speaker');
    await page.getByRole('button', { name: 'Train voice' }).click();
    // Unticked, the attestation is asked for and nothing starts.
    await page.getByText('Tick the box to attest the speaker’s consent.').waitFor();
    await page.getByRole('checkbox', { name: /I attest/ }).check();
    await page.getByRole('button', { name: 'Train voice' }).click();

    // Assess: the status is followed until the voice is ready, and it can then be deleted.
    await page.getByText(/^Custom voice ready: profile:/).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Delete custom voice' }).waitFor();

    // Act: a test phrase, spoken in the new voice.
    await page.getByLabel('Test phrase').fill('Yo, this is my brand new voice. Pretty cool, right?');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const player = page.getByLabel('Test speech', { exact: true });
    await player.waitFor({ timeout: 60_000 });

    // Assess: real audio from the local provider, with what it cost.
    const duration = await player.evaluate(
      (audio: HTMLAudioElement) =>
        new Promise<number>((resolve) =>
          audio.readyState >= 1
            ? resolve(audio.duration)
            : audio.addEventListener('loadedmetadata', () => resolve(audio.duration)),
        ),
    );
    expect(duration).toBeGreaterThan(0);
    await page.getByText(/^local · profile:/).waitFor();
    const download = page.getByRole('link', { name: 'Download test speech' });
    expect(await download.getAttribute('download')).toBe('zac-test.mp3');

    await screenshot(page, 'voice-1280');
    await checkAccessibility(page, 'voice page');

    const narrow = await app.page(390);
    await narrow.goto(`${app.url}/personalities/zac/voice`);
    await narrow.getByText(/^Custom voice ready: profile:/).waitFor();
    await screenshot(narrow, 'voice-390');

    // Act: a second training within the hour.
    await page.getByRole('button', { name: 'Train voice' }).click();

    // Assess: the API's refusal is shown with when to try again.
    await page.getByText(/already trained for this tenant in the last hour.*Retry after \d+:\d\d/).waitFor();

    // Act: delete the custom voice, confirmed in the dialog.
    await page.getByRole('button', { name: 'Delete custom voice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete voice' }).click();

    // Assess: the personality has no custom voice any more.
    await page
      .getByText('No custom voice has been trained for this personality yet.')
      .waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Delete custom voice' }).count()).toBe(0);
  }, 360_000);
});
