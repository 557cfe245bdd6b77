import type { PublishedSlot } from './createPublisher.js';
import { stockholm } from './generateSwedishPublication.js';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

/**
 * The booking portal's landing page for a deep link: what a patient sees after following a
 * slot's `booking-deep-link`. Everything from the URL is escaped: deep links are built by others.
 */
export function renderPortalPage(page: {
  slotId: string | null;
  slot: PublishedSlot | undefined;
  source: string | null;
}): string {
  const { slotId, slot, source } = page;
  let message: string;
  if (!slot) {
    message = 'Tiden finns inte (längre).';
  } else if (slot.status !== 'free' || slot.capacity === 0) {
    message = 'Tiden är tyvärr redan bokad.';
  } else {
    const start = typeof slot.start === 'string' ? new Date(slot.start) : undefined;
    const when =
      start && !Number.isNaN(start.getTime())
        ? start.toLocaleString('sv-SE', { timeZone: stockholm })
        : 'okänd tid';
    message = `Ledig tid ${escapeHtml(when)}.`;
  }
  const hidden = (name: string, value: string | null) =>
    value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  return [
    '<!doctype html>',
    '<html lang="sv"><head><meta charset="utf-8"><title>Boka tid</title></head><body>',
    '<h1>Boka tid</h1>',
    `<p>${message}</p>`,
    slot && slot.status === 'free'
      ? `<form method="post">${hidden('slot', slotId)}${hidden('source', source)}<button>Boka</button></form>`
      : '',
    '</body></html>',
  ].join('\n');
}
