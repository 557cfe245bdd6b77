import { describe, expect, it } from 'vitest';
import { createBatchLoader, type RequestBudget } from '../src/index.js';

interface Key {
  connection: string;
  day: string;
  clinicId: string;
}
interface Item {
  clinicId: string;
  n: number;
}

const budget = (): RequestBudget => ({
  signal: new AbortController().signal,
  deadlineAt: Date.now() + 1000,
});

/** A loader whose vendor answers two items per clinic asked, recording each request's ids. */
function loader(maxIds = 50, answer?: () => Promise<Item[]>) {
  const requests: { key: Key; ids: string[] }[] = [];
  const batch = createBatchLoader({
    group: (key: Key) => JSON.stringify([key.connection, key.day]),
    id: (key: Key) => key.clinicId,
    idOf: (item: Item) => item.clinicId,
    maxIds,
    load: async (key, ids) => {
      requests.push({ key, ids });
      if (answer) return answer();
      return ids.flatMap((clinicId) => [1, 2].map((n) => ({ clinicId, n })));
    },
  });
  return { batch, requests };
}

const key = (clinicId: string, day = 'mon', connection = 'a'): Key => ({
  connection,
  day,
  clinicId,
});

describe('createBatchLoader', () => {
  it('merges the keys of one tick that differ only by id into one request, split again', async () => {
    const { batch, requests } = loader();
    const [one, two] = await Promise.all([
      batch.load(key('CL1'), budget()),
      batch.load(key('CL2'), budget()),
      batch.load(key('CL1'), budget()),
    ]);
    expect(requests.map((r) => r.ids)).toEqual([['CL1', 'CL2']]);
    expect(one).toEqual([
      { clinicId: 'CL1', n: 1 },
      { clinicId: 'CL1', n: 2 },
    ]);
    expect(two!.map((item) => item.clinicId)).toEqual(['CL2', 'CL2']);
  });

  it('keeps different groups apart and chunks the ids of one group by maxIds', async () => {
    const { batch, requests } = loader(2);
    await Promise.all([
      ...['CL1', 'CL2', 'CL3'].map((id) => batch.load(key(id), budget())),
      batch.load(key('CL1', 'tue'), budget()),
      batch.load(key('CL1', 'mon', 'b'), budget()),
    ]);
    expect(requests.map((r) => r.ids)).toEqual([['CL1', 'CL2'], ['CL3'], ['CL1'], ['CL1']]);
  });

  it('fails every key of a group whose request failed', async () => {
    const { batch } = loader(50, () => Promise.reject(new Error('vendor down')));
    const results = await Promise.allSettled([
      batch.load(key('CL1'), budget()),
      batch.load(key('CL2'), budget()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('lets each caller stop at its own deadline even when its batch goes on', async () => {
    const { batch } = loader(50, () => new Promise<Item[]>(() => {}));
    const impatient = new AbortController();
    const waiting = batch.load(key('CL1'), { signal: impatient.signal, deadlineAt: 0 });
    impatient.abort(new Error('deadline passed'));
    await expect(waiting).rejects.toThrow('deadline passed');
  });
});
