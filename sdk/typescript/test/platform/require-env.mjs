// `npm run test:platform` runs against a real platform, which TypeScriptSdkIT starts (from Maven:
// `mvn -B verify -pl sdk/typescript -am -Dit.test=TypeScriptSdkIT`). Without its environment it
// fails here, saying so, rather than skipping every test.
import { REQUIRED } from './env.mjs';

const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`test:platform needs a running platform: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.
Run it from Maven, which starts the platform and sets them:
  mvn -B verify -pl sdk/typescript -am -Dit.test=TypeScriptSdkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
or set ${REQUIRED.join(', ')} for a platform of your own.`);
  process.exit(1);
}
