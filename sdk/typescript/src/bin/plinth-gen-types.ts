#!/usr/bin/env node
// plinth-gen-types: reads a tenant's collection definitions (GET /v1/collections, with a secret
// key) and writes their TypeScript types. `npx plinth-gen-types --url <data plane> --key <secret key> [--out file.ts]`.
import { createClient } from '../client.js';
import { PlinthError } from '../errors.js';
import { generateTypes } from '../generate.js';

// Node's own globals, declared here so the package needs no @types/node.
declare const process: {
  argv: string[];
  env: Record<string, string | undefined>;
  exitCode: number | undefined;
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean };
};

const USAGE = `usage: plinth-gen-types --url <data plane URL> --key <secret key> [--out <file.ts>] [--import <module>]
  --url     the data plane, e.g. https://api.example.com (or PLINTH_URL)
  --key     a secret key, plinth_sk_... (or PLINTH_SECRET_KEY)
  --out     the file to write (default: standard output)
  --import  the module to import PlinthRecord from (default: @plinth/client)
`;

function parse(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      args['help'] = 'true';
      continue;
    }
    const match = /^--(url|key|out|import)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument '${arg}'`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    args[match[1]!] = value;
  }
  return args;
}

async function main(): Promise<void> {
  let args: Record<string, string>;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`plinth-gen-types: ${(e as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args['help']) {
    process.stdout.write(USAGE);
    return;
  }
  const url = args['url'] ?? process.env['PLINTH_URL'];
  const key = args['key'] ?? process.env['PLINTH_SECRET_KEY'];
  if (!url || !key) {
    process.stderr.write(`plinth-gen-types: ${!url ? '--url' : '--key'} is missing\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const client = createClient(url, key, { allowSecretKeyInBrowser: true });
    const collections = await client.collections.list();
    const source = `${client.url}/v1/collections`;
    const text = generateTypes(collections, { source, ...(args['import'] ? { importFrom: args['import'] } : {}) });
    if (args['out']) {
      const fsModule = 'node:fs/promises';
      const fs = (await import(fsModule)) as { writeFile(path: string, text: string, encoding: string): Promise<void> };
      await fs.writeFile(args['out'], text, 'utf8');
      process.stderr.write(`plinth-gen-types: ${collections.length} collection(s) written to ${args['out']}\n`);
    } else {
      process.stdout.write(text);
    }
  } catch (e) {
    // A PlinthError's message holds the status, code and detail, never the key.
    process.stderr.write(`plinth-gen-types: ${e instanceof PlinthError ? e.message : (e as Error).message}\n`);
    process.exitCode = 1;
  }
}

await main();
