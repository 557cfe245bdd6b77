import type { SlotWindow } from './contractRules.js';

/**
 * A window as the pieces a vendor accepts: at most `maxMs` long, and a piece shorter than `minMs`
 * widened to it. The kit clips what the pieces find to the window again.
 */
export function splitWindow(
  window: SlotWindow,
  limits: {
    /** The longest search the vendor takes. */
    maxMs: number;
    /** The shortest search the vendor takes. Default: 0. */
    minMs?: number;
  },
): SlotWindow[] {
  const pieces: SlotWindow[] = [];
  for (let fromMs = window.fromMs; fromMs < window.toMs; fromMs += limits.maxMs) {
    const toMs = Math.min(fromMs + limits.maxMs, window.toMs);
    pieces.push({ fromMs, toMs: Math.max(toMs, fromMs + (limits.minMs ?? 0)) });
  }
  return pieces;
}
