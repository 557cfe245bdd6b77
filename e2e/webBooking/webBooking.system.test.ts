import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, startSystem, webPage } from '@booking/tools';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDay, clockTime } from '../../examples/web/src/format/swedishTime.js';
import { createBookingClient } from '../../sdk/src/createBookingClient.js';
import { chromiumSkipReason, launchChromium } from '../support/chromium.js';

const resultsDirectory = fileURLToPath(new URL('../../test-results/', import.meta.url));
const skipReason = chromiumSkipReason("the booking page's browser test");

/** A treatment every demo provider offers, looked for in the whole country: a full week of times. */
const treatment = 'Läkarbesök, allmänmedicin';
const validPersonnummer = '19900101-0017';
/** The same number with a wrong check digit. */
const invalidPersonnummer = '19900101-0018';

/** What one browser context did: its API calls (with their Origin), and what went wrong. */
interface Recorded {
  context: BrowserContext;
  page: Page;
  /** Every request's URL. */
  urls: string[];
  /** The API calls answered: operation, variables, and the `Origin` the browser sent. */
  apiCalls: Promise<{ operationName: string; variables: unknown; origin: string | undefined }>[];
  /** Console errors and uncaught exceptions (a CSP violation is a console error). */
  problems: string[];
}

describe('the demo booking page in a real browser', {
  skip: !!skipReason,
  meta: { skipReason },
}, () => {
  let system: RunningSystem;
  let browser: Browser;
  let webUrl: string;
  let graphqlUrl: string;
  const contexts: BrowserContext[] = [];
  /** The booking Astrid made in the first test, which no other patient may see. */
  let astridsReference: string | undefined;

  beforeAll(async () => {
    await mkdir(resultsDirectory, { recursive: true });
    system = await startSystem({
      ports: 'free',
      demo: true,
      output: () => {},
      colour: false,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://' } },
    });
    webUrl = system.urls[webPage.name]!;
    graphqlUrl = system.graphqlUrl;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await system?.stop();
  });

  /** A new browser (its own cookies and storage) on the page, recording what it does. */
  async function openPage(viewport = { width: 1280, height: 800 }): Promise<Recorded> {
    const context = await browser.newContext({ viewport, timezoneId: 'Europe/Stockholm' });
    contexts.push(context);
    const recorded: Recorded = {
      context,
      page: await context.newPage(),
      urls: [],
      apiCalls: [],
      problems: [],
    };
    const { page } = recorded;
    page.setDefaultTimeout(30_000);
    context.on('request', (request) => recorded.urls.push(request.url()));
    // Finished requests only: their headers are complete (the Origin is added by the network stack).
    context.on('requestfinished', (request) => {
      if (request.url() !== graphqlUrl || request.method() !== 'POST') return;
      const body = request.postDataJSON() as { operationName: string; variables: unknown };
      recorded.apiCalls.push(
        request.allHeaders().then((headers) => ({
          operationName: body.operationName,
          variables: body.variables,
          origin: headers.origin,
        })),
      );
    });
    page.on('console', (message) => {
      if (message.type() === 'error') recorded.problems.push(message.text());
    });
    page.on('pageerror', (error) => recorded.problems.push(error.message));
    await page.goto(`${webUrl}/`);
    return recorded;
  }

  /** Signs in at the identity provider, from the page's button named `from`. */
  async function signIn({ page }: Recorded, username: string, from = 'Sign in') {
    await page.getByRole('button', { name: from, exact: true }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
  }

  /** Searches a week of times for the treatment in the whole country; resolves once every page is in. */
  async function searchWeek({ page }: Recorded) {
    await page.getByLabel('Treatment').selectOption({ label: treatment });
    await page.getByLabel('Area').selectOption({ label: 'Hela Sverige' });
    await page.getByRole('button', { name: 'Find times' }).click();
    await page.getByText(/^\d+ free times?\.$/).waitFor({ timeout: 60_000 });
  }

  async function screenshot({ page }: Recorded, name: string) {
    await page.screenshot({ path: `${resultsDirectory}web-${name}.png`, fullPage: false });
  }

  async function operations(recorded: Recorded, name: string) {
    return (await Promise.all(recorded.apiCalls)).filter((call) => call.operationName === name);
  }

  /** What every test asks of the browser: calls across origins, nothing else reached, no errors. */
  async function expectCleanRun(recorded: Recorded) {
    const calls = await Promise.all(recorded.apiCalls);
    expect(calls.length).toBeGreaterThan(0);
    const pageOrigin = new URL(webUrl).origin;
    expect(pageOrigin).not.toBe(new URL(graphqlUrl).origin);
    expect(new Set(calls.map((call) => call.origin))).toEqual(new Set([pageOrigin]));
    const elsewhere = recorded.urls.filter((url) => {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return hostname !== '127.0.0.1' && hostname !== 'localhost';
    });
    expect(elsewhere).toEqual([]);
    expect(recorded.problems).toEqual([]);
  }

  it('a patient signs in, finds a week of times, holds one, books it, and cancels it in my bookings', async () => {
    const recorded = await openPage();
    const { page } = recorded;
    await signIn(recorded, 'astrid');
    expect(await page.locator('.account').textContent()).toContain('Astrid Lindqvist');
    await screenshot(recorded, '1-signed-in');

    await searchWeek(recorded);
    // Every provider asked is listed with its status and latency.
    await page.locator('.outcomes summary').getByText('booking systems asked').waitFor();
    expect(await page.locator('.outcomes tbody tr').count()).toBeGreaterThan(1);
    const days = await page.locator('.slot-list h3').allTextContents();
    // Days in Swedish, the first ones relative to today (`I dag, onsdag 9 december`).
    expect(days[0]).toMatch(
      /^(I (dag|morgon|övermorgon), \p{L}+dag|\p{Lu}\p{L}+dag) \d{1,2} \p{L}+$/u,
    );
    const slots = await operations(recorded, 'Availability');
    const [firstPage, ...laterPages] = slots;
    expect(firstPage?.variables).toMatchObject({ first: expect.any(Number) });
    // Every later page continues the same search.
    for (const later of laterPages)
      expect(later.variables).toMatchObject({ after: expect.any(String) });
    await screenshot(recorded, '2-week');

    // A time on the week's second day: today's next times may start within the hour, when a
    // clinic no longer takes a cancellation (Cliniq's, 60 minutes before), and this patient cancels.
    const first = page.locator('.slot-list section').nth(1).locator('button.slot').first();
    const chosenTime = await first.locator('.slot-time').textContent();
    await first.click();
    await page.getByText('Held for you until').waitFor();
    const booking = page.locator('section.booking');
    expect(await booking.textContent()).toContain(chosenTime);
    // The name comes from the sign-in.
    expect(await page.getByLabel('Given name').inputValue()).toBe('Astrid');
    expect(await page.getByLabel('Family name').inputValue()).toBe('Lindqvist');
    await screenshot(recorded, '3-held');

    await page.getByLabel('Personnummer').fill(validPersonnummer);
    await page.getByLabel('Email').fill('astrid@example.se');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByText('Your appointment is booked').waitFor();
    await screenshot(recorded, '4-booked');

    const myBooking = page.locator('.booking-item').first();
    await myBooking.locator('.badge', { hasText: 'Booked' }).waitFor();
    expect(await myBooking.textContent()).toContain(chosenTime);
    astridsReference = /reference (\S+)/.exec((await myBooking.textContent()) ?? '')?.[1];
    expect(astridsReference).toBeDefined();
    await myBooking.getByRole('button', { name: 'Cancel booking' }).click();
    await myBooking.getByRole('button', { name: 'Yes, cancel it' }).click();
    await myBooking.locator('.badge', { hasText: 'Cancelled' }).waitFor();
    await myBooking.getByText('The booking is cancelled.').waitFor();
    await screenshot(recorded, '5-cancelled');

    expect(await operations(recorded, 'HoldSlot')).toHaveLength(1);
    expect(await operations(recorded, 'ConfirmReservation')).toHaveLength(1);
    expect(await operations(recorded, 'CancelReservation')).toHaveLength(1);
    await expectCleanRun(recorded);
  });

  it('an invalid personnummer is shown at its field and no confirmation is sent; giving up releases the hold', async () => {
    const recorded = await openPage();
    const { page } = recorded;
    await signIn(recorded, 'selma');
    await searchWeek(recorded);
    await page.locator('button.slot').first().click();
    await page.getByText('Held for you until').waitFor();

    await page.getByLabel('Personnummer').fill(invalidPersonnummer);
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    const fieldError = page.locator('#patient-personalIdentityNumber-error');
    await fieldError.waitFor();
    expect(await fieldError.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Personnummer').getAttribute('aria-invalid')).toBe('true');
    await screenshot(recorded, '6-invalid-personnummer');
    expect(await operations(recorded, 'ConfirmReservation')).toEqual([]);
    // The reservation stays held, as the patient's list shows it.
    const myBooking = page.locator('.booking-item').first();
    await myBooking.locator('.badge', { hasText: 'Held' }).waitFor();

    await page.getByRole('button', { name: 'Choose another time' }).click();
    await myBooking.locator('.badge', { hasText: 'Cancelled' }).waitFor();
    expect(await operations(recorded, 'CancelReservation')).toHaveLength(1);
    expect(await operations(recorded, 'ConfirmReservation')).toEqual([]);
    await expectCleanRun(recorded);
  });

  it('a time another client took meanwhile is said to be no longer available, and the list is refreshed', async () => {
    const recorded = await openPage();
    const { page } = recorded;
    await signIn(recorded, 'astrid');
    await searchWeek(recorded);

    // Another application books the first time the page shows, through the API.
    const other = createBookingClient({
      url: graphqlUrl,
      token: await signDevelopmentToken({
        clientId: 'another-booking-app',
        scopes: ['availability:read', 'reservations:write'],
      }),
    });
    const [search] = await operations(recorded, 'Availability');
    const { filter } = search!.variables as {
      filter: Parameters<typeof other.availability>[0]['filter'];
    };
    const week = await other.availability({ filter, first: 100 });
    const taken = week.edges.map((edge) => edge.node).find((slot) => slot.bookingMethod === 'API')!;
    const { timeZone } = taken.clinic;
    const takenTime = `${clockTime(taken.start, timeZone)}–${clockTime(taken.end, timeZone)}`;
    const takenDay = page.locator(
      `section[aria-labelledby="day-${calendarDay(taken.start, timeZone)}"]`,
    );
    const shownFirst = page.locator('button.slot').first();
    expect(await shownFirst.textContent()).toContain(takenTime);
    expect(await shownFirst.textContent()).toContain(taken.clinic.name);
    const held = await other.holdSlot({ slotId: taken.id, idempotencyKey: randomUUID() });
    expect(held.__typename).toBe('ReservationResult');

    const availabilityCalls = (await operations(recorded, 'Availability')).length;
    await shownFirst.click();
    await page.getByText('that time is no longer available').waitFor();
    await screenshot(recorded, '7-slot-taken');
    // The list is asked again, and the taken time is gone from it.
    await expect
      .poll(async () => (await operations(recorded, 'Availability')).length, { timeout: 30_000 })
      .toBeGreaterThan(availabilityCalls);
    await page.getByText(/^\d+ free times?\.$/).waitFor({ timeout: 60_000 });
    const stillShown = takenDay
      .locator('button.slot', { hasText: takenTime })
      .filter({ hasText: taken.clinic.name })
      .filter({ hasText: taken.practitioner?.name ?? '' });
    expect(await stillShown.count()).toBe(0);
    expect(await operations(recorded, 'ConfirmReservation')).toEqual([]);
    await expectCleanRun(recorded);
  });

  it('on a phone, a search made before signing in is shown again after it; another patient sees none of the first one’s bookings; signing out ends the sign-in', async () => {
    const recorded = await openPage({ width: 390, height: 844 });
    const { page } = recorded;
    // Anyone may look (reads need no token outside production), but not book.
    await searchWeek(recorded);
    expect(await page.locator('.slot-list .slot').count()).toBeGreaterThan(0);
    expect(await page.locator('button.slot').count()).toBe(0);

    await signIn(recorded, 'selma', 'Sign in to book');
    // Back from the identity provider: the same search, its times now bookable.
    await page.getByText(/^\d+ free times?\.$/).waitFor({ timeout: 60_000 });
    // The form shows it too, once the catalogue's treatments are in.
    await expect
      .poll(() => page.getByLabel('Treatment').inputValue(), { timeout: 10_000 })
      .toBe('general-practitioner');
    // Astrid's booking (the first test) is hers alone: Selma's token does not reach it.
    const selmas = page.locator('section.my-bookings');
    await expect
      .poll(
        async () =>
          (await selmas.locator('.booking-item').count()) +
          (await selmas.getByText('You have no bookings yet.').count()),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    expect(await selmas.textContent()).not.toContain(astridsReference);
    await page.locator('button.slot').first().waitFor();
    // Nothing wider than the screen: no sideways scrolling.
    const overflow = await page.locator('html').evaluate((element) => {
      const html = element as unknown as { scrollWidth: number; clientWidth: number };
      return html.scrollWidth - html.clientWidth;
    });
    expect(overflow).toBe(0);
    await screenshot(recorded, '8-phone');

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The identity provider asks first.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByText('Signed in as').count()).toBe(0);
    expect(new URL(page.url()).href).toBe(`${webUrl}/`);
    await expectCleanRun(recorded);
  });
});
