// The usage page and the API keys and webhooks page in a browser on the local stack: spoken characters show in the
// totals as the API counts them; a key made in the page works from outside until it is revoked in the page; a webhook
// URL set in the page gets a signed test event; screenshots and an accessibility check at two widths.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeReceivers, startReceiver, type ReceivedRequest } from '../integration/webhook-receiver.ts';
import { checkAccessibility, screenshot, startConsole } from './support.ts';

type ConsoleApp = Awaited<ReturnType<typeof startConsole>>;

let app: ConsoleApp;
let adminToken: string;

/** The console signs in as the admin of `demo`; the test speaks and checks as the same admin. */
async function signIn(url: string): Promise<string> {
  const answer = await fetch(`${url}/local-auth/token?tenant=demo&role=admin`);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { token: string }).token;
}

async function callApi(
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${app.url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const asAdmin = () => ({ authorization: `Bearer ${adminToken}` });

/** The value beside a label in a list of key-value pairs (a `dt` and its `dd`). */
const valueOf = (page: Page, label: string) =>
  page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');

/** Whether a delivery carries a Standard Webhooks signature made with this secret (docs/security.md). */
function signedWith(secret: string, request: ReceivedRequest): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return String(request.headers['webhook-signature']).split(' ').includes(expected);
}

/** A full-page picture taken scrolled down draws the sticky top bar mid-page. */
async function screenshotFromTop(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

beforeAll(async () => {
  app = await startConsole();
  adminToken = await signIn(app.url);
}, 180_000);

afterAll(async () => {
  await closeReceivers();
  await app?.stop();
});

describe('usage page', () => {
  it('shows the characters spoken this month as the usage API counts them, with the plan and its budget', async () => {
    // Prepare: speak two sentences as the demo tenant's admin, then ask the API what it counted.
    const spoken = await callApi('/api/admin/ai-personalities/marcel/voice/generate', {
      headers: asAdmin(),
      json: { text: 'Welcome in, friend. What are you after today?' },
    });
    expect(spoken.status).toBe(200);
    const report = await callApi('/api/admin/voice/usage?group_by=day', { headers: asAdmin() });
    expect(report.status).toBe(200);
    const { totals, budget } = report.body;
    expect(totals.characters).toBeGreaterThan(0);

    // Act
    const page = await app.page(1280);
    await page.goto(`${app.url}/usage`);
    await page.getByRole('heading', { name: 'Totals' }).waitFor({ timeout: 30_000 });

    // Assess: the page's figures are the API's, and the charts have their tables.
    expect(await valueOf(page, 'Characters').innerText()).toBe(totals.characters.toLocaleString('en-US'));
    expect(await valueOf(page, 'Plan').innerText()).toBe(budget.plan.name);
    await page.getByRole('progressbar', { name: /Budget used in/ }).waitFor();
    await page.getByRole('heading', { name: 'By day' }).waitFor();
    await page.getByRole('heading', { name: 'By provider' }).waitFor();
    await page.getByRole('heading', { name: 'By personality' }).waitFor();
    await page.getByRole('button', { name: 'Table: by personality' }).click();
    await page
      .getByRole('table', { name: 'By personality' })
      .getByRole('rowheader', { name: /marcel/i })
      .waitFor();

    await screenshotFromTop(page, 'usage-1280');
    await checkAccessibility(page, 'usage page');

    const narrow = await app.page(390);
    await narrow.goto(`${app.url}/usage`);
    await narrow.getByRole('heading', { name: 'Totals' }).waitFor({ timeout: 30_000 });
    await screenshotFromTop(narrow, 'usage-390');
  });

  it('says when a range has no speech', async () => {
    // Prepare
    const page = await app.page(1280);
    await page.goto(`${app.url}/usage`);
    await page.getByRole('heading', { name: 'Totals' }).waitFor({ timeout: 30_000 });

    // Act: a range long before anything was spoken.
    await page.getByRole('button', { name: /^Date range/ }).click();
    const picker = page.getByRole('dialog', { name: 'Date range' });
    await picker.getByRole('button', { name: 'Absolute range' }).click();
    await picker.getByRole('textbox', { name: 'First day' }).fill('2020-01-01');
    await picker.getByRole('textbox', { name: 'Last day' }).fill('2020-01-31');
    await picker.getByRole('button', { name: 'Apply' }).click();

    // Assess
    await page.getByText('No speech in this range').waitFor({ timeout: 30_000 });
    expect(await valueOf(page, 'Characters').innerText()).toBe('0');
  });
});

describe('API keys and webhooks page', () => {
  it('creates a key whose secret works from an app, and revokes it', async () => {
    // Prepare
    const name = `kiosk ${randomUUID().slice(0, 8)}`;
    const page = await app.page(1280);
    await page.goto(`${app.url}/api-keys`);
    const keys = page.getByRole('table', { name: 'API keys' });
    await page.getByRole('heading', { name: /^API keys\s*\(\d+ active\)$/ }).waitFor({ timeout: 30_000 });

    // Act: create a key through the modal.
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const modal = page.getByRole('dialog', { name: 'Create API key' });
    await modal.getByLabel('Name').fill(name);
    await modal.getByRole('button', { name: 'Create' }).click();

    // Assess: the secret is shown once, with the warning, and calls a consumer route.
    await page.getByText('it will not be shown again').waitFor();
    const secret = (await page.getByText(/^vap_[A-Za-z0-9_-]{43}$/).innerText()).trim();
    await keys.getByRole('rowheader', { name }).waitFor();
    const withKey = await callApi('/api/personalities', { headers: { 'x-api-key': secret } });
    expect(withKey.status).toBe(200);
    expect(withKey.body.personalities.length).toBeGreaterThan(0);

    await screenshotFromTop(page, 'api-keys-1280');
    await checkAccessibility(page, 'API keys page');

    // Act: revoke it, confirming in the modal.
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke API key' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await confirm.waitFor({ state: 'detached' });

    // Assess: the table says so, and the same call is refused.
    await keys
      .getByRole('row', { name })
      .getByText(/^Revoked/)
      .waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    const revoked = await callApi('/api/personalities', { headers: { 'x-api-key': secret } });
    expect(revoked.status).toBe(401);

    const narrow = await app.page(390);
    await narrow.goto(`${app.url}/api-keys`);
    await narrow.getByRole('table', { name: 'API keys' }).getByRole('rowheader', { name }).waitFor();
    await screenshotFromTop(narrow, 'api-keys-390');
  });

  it('refuses a test event without a URL, then sets one, shows its secret once and delivers a signed test', async () => {
    // Prepare
    const receiver = await startReceiver();
    const page = await app.page(1280);
    await page.goto(`${app.url}/api-keys`);
    const urlField = page.getByRole('textbox', { name: 'Webhook URL' });
    await urlField.waitFor({ timeout: 30_000 });

    // Act / Assess: with no URL the API's 409 message is shown.
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/has no webhook URL/).waitFor();

    // Act: save the receiver's URL.
    await urlField.fill(receiver.url);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // Assess: the first URL makes a signing secret, shown once; the settings say it is set.
    await page.getByText('Signing secret created').waitFor();
    const secret = (await page.getByText(/^whsec_[A-Za-z0-9+/=]+$/).innerText()).trim();
    const settings = await callApi('/api/admin/tenant/settings', { headers: asAdmin() });
    expect(settings.body).toMatchObject({ webhook_url: receiver.url, webhook_secret_set: true });
    expect(settings.body.webhook_secret).toBeUndefined();

    // Act: a test event, then refresh the deliveries until it is delivered.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const deliveries = page.getByRole('table', { name: 'Webhook deliveries' });
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh', exact: true }).click();
          return deliveries
            .getByRole('row', { name: /webhook\.test/ })
            .getByText('Delivered')
            .count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);

    // Assess: the receiver got one signed webhook.test event.
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: 'webhook.test', tenant_id: 'demo' });
    expect(signedWith(secret, receiver.requests[0]!)).toBe(true);
  });
});
