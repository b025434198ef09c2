// The platform TypeScriptSdkIT started, from the environment it sets.
export const REQUIRED = ['PLINTH_URL', 'PLINTH_PUBLISHABLE_KEY', 'PLINTH_SECRET_KEY', 'PLINTH_USER', 'PLINTH_PASSWORD', 'PLINTH_LIMITED_PUBLISHABLE_KEY', 'PLINTH_LIMITED_SECRET_KEY'];

/** The variables, or an error naming the missing ones (a test file run alone fails, never skips). */
export function platformEnv() {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length > 0) throw new Error(`not set: ${missing.join(', ')} (see test/platform/require-env.mjs)`);
  return Object.fromEntries(REQUIRED.map((name) => [name, process.env[name]]));
}
