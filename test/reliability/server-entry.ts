// The command-line server run from the TypeScript sources, as bin/ringcache-server runs the build:
// the reliability tests start it as a child process without depending on a fresh `npm run build`.

import { main } from '../../src/cli/main.js';

const result = await main(process.argv.slice(2));
if (typeof result === 'number') process.exitCode = result;
