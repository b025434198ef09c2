import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { admin, env } from './helpers.mjs';
import { typecheck, USAGE } from '../typecheck.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('types: npx plinth-gen-types writes the tenant collections, and a file using them passes tsc --noEmit', async () => {
  await admin().collections.create({
    name: 'notes',
    fields: [{ name: 'title', type: 'text', required: true }, { name: 'done', type: 'boolean' }, { name: 'points', type: 'integer' }],
    rules: { read: 'public', write: 'public' },
  });
  const out = `${root}test/types/gen-platform/generated.ts`;
  typecheck('gen-platform', {}); // makes the directory
  await promisify(execFile)('npx', ['--no-install', 'plinth-gen-types', '--url', env.PLINTH_URL, '--key', env.PLINTH_SECRET_KEY, '--out', out], { cwd: root });
  const generated = readFileSync(out, 'utf8');
  assert.ok(generated.includes('export interface Note {\n  title: string;\n  done?: boolean | null;\n  points?: number | null;\n}'), generated);
  const result = typecheck('gen-platform', { 'generated.ts': generated, 'usage.ts': USAGE });
  assert.equal(result.status, 0, result.output);

  await assert.rejects(promisify(execFile)('npx', ['--no-install', 'plinth-gen-types', '--url', env.PLINTH_URL, '--key', 'plinth_sk_wrong'], { cwd: root }), (e) => {
    assert.match(e.stderr, /401/);
    assert.ok(!e.stderr.includes(env.PLINTH_SECRET_KEY));
    return true;
  });
});
