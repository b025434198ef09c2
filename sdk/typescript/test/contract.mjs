// Checks requests the SDK made against the data plane's OpenAPI document: every path, method,
// query parameter and header the SDK sends must be described there.
import { readFileSync } from 'node:fs';

const spec = JSON.parse(readFileSync(new URL('../../../tenant-api/src/main/resources/openapi/tenant-api.json', import.meta.url), 'utf8'));

const resolve = (p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p);

const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  const shared = (item.parameters ?? []).map(resolve);
  for (const [method, op] of Object.entries(item)) {
    if (method === 'parameters') continue;
    const params = [...shared, ...(op.parameters ?? []).map(resolve)];
    const regex = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    operations.push({ key: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), regex, params });
  }
}

// Headers any call may carry that are not operation parameters: the security schemes, HTTP's own.
const GENERAL = new Set(['apikey', 'authorization', 'accept', 'content-type', 'content-length', 'host', 'connection',
  'user-agent', 'accept-encoding', 'accept-language', 'sec-fetch-mode',
  // fetch adds these itself to a conditional request (If-None-Match, If-Match)
  'cache-control', 'pragma']);

/** The findings for these requests: `METHOD path: what is not described`. */
export function undescribed(requests) {
  const findings = new Set();
  for (const r of requests) {
    const op = operations.find((o) => o.method === r.method && o.regex.test(r.path));
    if (!op) {
      findings.add(`${r.method} ${r.path}: no such operation`);
      continue;
    }
    const query = op.params.filter((p) => p.in === 'query');
    const explode = query.some((p) => p.style === 'form' && p.explode && p.schema?.type === 'object');
    for (const name of new Set(r.query.keys())) {
      if (!query.some((p) => p.name === name) && !explode) findings.add(`${op.key}: query parameter ${name}`);
    }
    const headers = op.params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    for (const name of Object.keys(r.headers)) {
      if (!GENERAL.has(name) && !headers.includes(name)) findings.add(`${op.key}: header ${name}`);
    }
  }
  return [...findings].sort();
}
