// Runs `npm ci` unless node_modules was installed from the current lockfile already: npm writes
// node_modules/.package-lock.json on every install, so a lockfile newer than it (changed, or
// checked out again) means installing again.
import { statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const mtime = (path) => {
  try {
    return statSync(new URL(path, new URL('..', import.meta.url))).mtimeMs;
  } catch {
    return undefined;
  }
};

const installed = mtime('node_modules/.package-lock.json');
const lock = mtime('package-lock.json');
if (installed !== undefined && lock !== undefined && installed >= lock) {
  console.log('node_modules is up to date with package-lock.json: npm ci skipped');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(run.status ?? 1);
}
