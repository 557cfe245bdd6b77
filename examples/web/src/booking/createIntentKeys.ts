/**
 * Idempotency keys by user intent. A key is made when the user asks for something new (this
 * slot, these patient details) and kept for every retry of that same request, so that a retry
 * after a lost answer is recognised by the API as the same request and never books twice. Only
 * the latest intent is remembered: asking for something else starts a new one.
 */
export function createIntentKeys(newKey: () => string = () => crypto.randomUUID()) {
  let latest: { intent: string; key: string } | undefined;
  return {
    /** The key of `intent` (compared by its JSON): the previous key when it is the same intent. */
    keyFor(intent: unknown): string {
      const text = JSON.stringify(intent);
      if (latest?.intent !== text) latest = { intent: text, key: newKey() };
      return latest.key;
    },
    /** Ends the intent (it succeeded, or the user gave up): the next request gets a new key. */
    forget(): void {
      latest = undefined;
    },
  };
}

export type IntentKeys = ReturnType<typeof createIntentKeys>;
