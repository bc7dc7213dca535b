// The personalities pages in a browser: list, create, edit with the live prompt preview, delete; layout and a11y.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkAccessibility, screenshot, startConsole, type RunningConsole } from './support.ts';

let running: RunningConsole;

beforeAll(async () => {
  running = await startConsole();
});

afterAll(async () => {
  await running?.stop();
});

const preview = (page: Page) => page.getByRole('region', { name: 'System prompt preview' });

/** Opens a Cloudscape Select by its field label and picks an option. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect
    .poll(() => page.getByRole('button', { name: new RegExp(`^${label}`) }).textContent())
    .toBe(option);
}

describe('personalities console', () => {
  it('lists the built-ins, with delete disabled for them', async () => {
    const page = await running.page(1280);
    await expect.poll(() => page.url()).toMatch(/\/personalities$/);
    await page.getByRole('heading', { name: /^Personalities/, level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Personalities' });
    await table.getByRole('link', { name: /^(\S+ )?Marcel$/ }).waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);

    await table.getByRole('radio', { name: 'Select Marcel' }).check();
    const deleteButton = page.getByRole('button', { name: 'Delete', exact: true });
    expect(await deleteButton.getAttribute('aria-disabled')).toBe('true');
    await deleteButton.focus();
    await page.getByRole('tooltip').getByText('Built-in personalities cannot be deleted').waitFor();

    await screenshot(page, 'personalities-list-1280');
    await checkAccessibility(page, 'the personalities list');
  });

  it('creates a personality, edits a trait with a live preview, and deletes it', async () => {
    const page = await running.page(1280);
    await page.getByRole('button', { name: 'Create personality' }).first().click();
    await page.getByRole('heading', { name: 'Create personality', level: 1 }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Nova Test');
    await page.getByLabel('Emoji').fill('🌟');
    await expect.poll(() => preview(page).textContent()).toContain('You are Nova Test');
    await choose(page, 'Communication style', 'Professional');
    await expect.poll(() => preview(page).textContent()).toContain('Keep a professional tone');
    await page.getByRole('button', { name: 'Add opening phrase' }).click();
    await page.getByLabel('Opening phrases, phrase 1').fill('Hello there, welcome to the shop.');
    await expect.poll(() => preview(page).textContent()).toContain('"Hello there, welcome to the shop."');

    await screenshot(page, 'personality-editor-1280');
    await checkAccessibility(page, 'the personality editor');

    await page.getByRole('button', { name: 'Create personality' }).click();
    await page.getByText('Nova Test was created.').waitFor();
    await expect.poll(() => page.url()).toMatch(/\/personalities\/nova-test/);
    const id = new URL(page.url()).pathname.split('/')[2] ?? '';

    // Editing a trait changes the preview at once, before anything is saved.
    const before = await preview(page).textContent();
    await choose(page, 'Formality', 'Formal');
    await expect.poll(() => preview(page).textContent()).toContain('Keep the register formal');
    expect(await preview(page).textContent()).not.toBe(before);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Nova Test was saved (version 2).').waitFor();

    await page.getByRole('link', { name: 'Personalities', exact: true }).first().click();
    const table = page.getByRole('table', { name: 'Personalities' });
    const row = table.getByRole('row', { name: new RegExp(`Nova Test.*${id}`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Active');

    await table.getByRole('radio', { name: 'Select Nova Test' }).check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Nova Test?' });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Nova Test was deleted.').waitFor();
    await table.getByRole('link', { name: /^(\S+ )?Nova Test$/ }).waitFor({ state: 'detached' });
    expect(await table.getByRole('link', { name: /^(\S+ )?Marcel$/ }).count()).toBe(1);
  });

  it('shows a changed-elsewhere warning when the version is stale', async () => {
    const page = await running.page(1280);
    await page
      .getByRole('table', { name: 'Personalities' })
      .getByRole('link', { name: /^(\S+ )?Marcel$/ })
      .click();
    await page.getByRole('heading', { name: /Marcel/, level: 1 }).waitFor();
    // Someone else customises Marcel after this editor read it.
    const other = await running.page(1280);
    await other.goto(`${running.url}/personalities/marcel`);
    await other.getByLabel('Emoji').fill('🍷');
    await other.getByRole('button', { name: 'Save changes' }).click();
    await other.getByText(/Marcel was saved/).waitFor();

    await page.getByLabel('Emoji').fill('🎻');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changed elsewhere, reload').waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByLabel('Emoji').inputValue()).toBe('🍷');
  });

  it('switches tenant and role from the top navigation, showing the API error a member gets', async () => {
    const page = await running.page(1280);
    const table = page.getByRole('table', { name: 'Personalities' });
    await table.getByRole('link', { name: /^(\S+ )?Marcel$/ }).waitFor();

    await page.getByRole('button', { name: /^Tenant: demo · admin/ }).click();
    await page.getByRole('menuitem', { name: 'Switch tenant or role…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch tenant' });
    await dialog.getByLabel('Tenant id').fill('acme');
    await dialog.getByRole('button', { name: /^Role/ }).click();
    await page.getByRole('option', { name: 'member', exact: true }).click();
    await dialog.getByRole('button', { name: 'Switch', exact: true }).click();

    await page.getByRole('button', { name: /^Tenant: acme · member/ }).waitFor();
    // Admin routes refuse a member: the page shows the API's message, not a blank table.
    await page.getByText('This route needs a tenant admin; your token has the member role.').waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(1);

    await page.getByRole('button', { name: /^Tenant: acme · member/ }).click();
    await page.getByRole('menuitem', { name: 'Continue as admin of acme' }).click();
    await page.getByRole('button', { name: /^Tenant: acme · admin/ }).waitFor();
    await table.getByRole('link', { name: /^(\S+ )?Marcel$/ }).waitFor();
    // Another tenant: none of demo's changes (its customised Marcel) show here.
    expect(await table.getByRole('row', { name: /Marcel/ }).textContent()).toContain('Built-in');
  });

  it("shows the Cognito sign-in when config.json names a user pool, with Cognito's error", async () => {
    const context = await running.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.route('**/config.json', (route) =>
      route.fulfill({
        json: {
          apiUrl: '',
          auth: {
            mode: 'cognito',
            userPoolId: 'us-east-1_Example1',
            clientId: 'exampleclient',
            region: 'us-east-1',
          },
        },
      }),
    );
    // Cognito answers the first SRP step; a refused sign-in is its NotAuthorizedException.
    await page.route('https://cognito-idp.us-east-1.amazonaws.com/**', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/x-amz-json-1.1',
        headers: { 'access-control-allow-origin': '*' },
        json: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      }),
    );
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await checkAccessibility(page, 'the sign-in page');
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Incorrect username or password.').waitFor();
    await context.close();
  });

  it('fits a phone-width screen', async () => {
    const page = await running.page(390);
    await page
      .getByRole('table', { name: 'Personalities' })
      .getByRole('link', { name: /^(\S+ )?Marcel$/ })
      .waitFor();
    await screenshot(page, 'personalities-list-390');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
