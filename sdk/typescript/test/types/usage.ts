// Compiled with `tsc --noEmit` by `npm test`: the package's declarations as an app sees them.
import { createClient, PlinthError, type PlinthRecord, type Page } from '@plinth/client';

interface Item {
  title: string;
  price: number;
}

export async function usage(): Promise<void> {
  const plinth = createClient('http://localhost:8080', 'plinth_pk_x', { timeoutMs: 5000, retry: { maxRetries: 2 } });
  const items = plinth.from<Item>('items');
  const one: PlinthRecord<Item> = await items.insert({ title: 'a', price: 1 });
  const many: PlinthRecord<Item>[] = await items.insert([{ title: 'b' }], { idempotencyKey: 'k' });
  const got = await items.get(one.id);
  const title: string | undefined = got.record?.title;
  await items.update(one.id, { price: 2 }, { ifMatch: got });
  const page: Page<PlinthRecord<Item>> = await items.query().gte('price', 1).in('title', ['a', 'b']).order('price', 'desc').limit(10).count().page();
  for await (const r of items.query().is('title', null)) {
    const p: number = r.price;
    void p;
  }
  try {
    await items.delete(one.id);
  } catch (e) {
    if (e instanceof PlinthError && e.isConflict) console.log(e.code, e.requestId, e.errors);
  }
  void many; void title; void page;
}
