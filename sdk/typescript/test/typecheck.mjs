// Compiles TypeScript files with the package's own tsc (`tsc --noEmit`, strict), as an app would:
// `@plinth/client` resolves to this package (a self-reference through its "exports").
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Writes `files` ({name: text}) to test/types/<dir>/ (git-ignored) and type-checks them. */
export function typecheck(dir, files) {
  const at = `${root}test/types/${dir}`;
  rmSync(at, { recursive: true, force: true });
  mkdirSync(at, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(`${at}/${name}`, text);
  writeFileSync(`${at}/tsconfig.json`, JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] },
    files: Object.keys(files),
  }));
  const run = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${at}/tsconfig.json`], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** A file using generated types: typed `from`, both ways, and type errors where the fields say so. */
export const USAGE = `import { createClient } from '@plinth/client';
import type { Collections, Note, NoteRecord } from './generated.js';

export async function use(): Promise<void> {
  const plinth = createClient<Collections>('http://localhost:8080', 'plinth_pk_x');
  const notes = plinth.from('notes');
  const inserted: NoteRecord = await notes.insert({ title: 'a', done: false, points: 3 });
  const title: string = inserted.title;
  const points: number | null | undefined = inserted.points;
  const created: string = inserted.createdAt;
  const version: number = inserted.version;
  // @ts-expect-error title is text: a string
  await notes.insert({ title: 1 });
  // @ts-expect-error no such field
  await notes.insert({ nope: 1 });
  const typed = createClient('http://localhost:8080', 'plinth_pk_x').from<Note>('notes');
  const page = await typed.query().eq('title', 'a').page();
  const first: string | undefined = page.items[0]?.title;
  const byName = plinth.from<'notes'>('notes');
  const again: NoteRecord | undefined = (await byName.get(inserted.id)).record;
  plinth.from('notes').subscribe((change) => {
    const t: string | undefined = change.record?.title;
    void t;
  });
  void title; void points; void created; void version; void first; void again;
}
`;
