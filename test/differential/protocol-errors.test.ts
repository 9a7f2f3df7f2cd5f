// Malformed requests over real sockets, to redis-server and ringcache alike: the bytes each sends
// back, and whether it then closes the connection, must be the same. Inputs after which Redis
// just waits are checked to get no reply and no close within a short settle time, which starts
// over while bytes still arrive: a megabyte reply can take longer than one window on a busy machine.

import { expect } from 'chai';
import { Differential } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';

/** How long a server that should stay silent is watched (again after each window in which bytes arrived). */
const SETTLE_MS = 250;
/** Bounds the settling of a server that keeps sending, and the wait for a close. */
const DEADLINE_MS = 10000;

interface Exchange {
  data: string;
  closed: boolean;
}

async function exchange(port: number, input: string | Buffer, expectClose: boolean): Promise<Exchange> {
  const client = await RawClient.connect(port);
  try {
    client.write(input);
    if (expectClose) {
      try {
        return { data: await client.readUntilClose(DEADLINE_MS), closed: true };
      } catch {
        return client.settle(0);
      }
    }
    return await quiet(client);
  } finally {
    await client.close();
  }
}

/** What arrived once a whole SETTLE_MS window passed with no new byte and no close. */
async function quiet(client: RawClient): Promise<Exchange> {
  let seen = 0;
  for (let waited = 0; ; waited += SETTLE_MS) {
    await client.settle(SETTLE_MS);
    // One more turn of the event loop, so bytes already in the socket when the timer fired are read.
    const now = await client.settle(0);
    if (now.data.length === seen || now.closed || waited >= DEADLINE_MS) return now;
    seen = now.data.length;
  }
}

function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Sends `input` to both servers and compares what comes back and whether each closed. */
function sameExchange(diff: Differential, title: string, input: string | Buffer, closes: boolean): void {
  it(title, async function () {
    this.timeout(15000);
    const [redis, ours] = await Promise.all([exchange(diff.redisPort, input, closes), exchange(diff.ringcachePort, input, closes)]);
    // Redis's own behaviour is asserted too, so a case that stopped meaning what its title says fails.
    expect(redis.closed, 'redis-server closed the connection').to.equal(closes);
    expect({ data: ours.data, closed: ours.closed }, 'ringcache').to.deep.equal({ data: redis.data, closed: redis.closed });
  });
}

const PING = '*1\r\n$4\r\nPING\r\n';

describe('differential: protocol errors over the socket', () => {
  const diff = Differential.suite();

  describe('replied to, then the connection is closed', () => {
    sameExchange(diff, 'invalid multibulk length', '*x\r\n', true);
    for (const count of ['01', '+1', '-0', '', '1 ', '2147483648', '-9223372036854775809']) {
      sameExchange(diff, `*${count}`, `*${count}\r\n${PING}`, true);
    }
    sameExchange(diff, 'an LF alone does not end a count line', `*1\n${PING}`, true);
    for (const len of ['-1', 'x', '', '-0', '04', '536870913']) {
      sameExchange(diff, `$${len}`, `*1\r\n$${len}\r\nPING\r\n`, true);
    }
    sameExchange(diff, "expected '$', got 'x'", '*1\r\nx\r\n', true);
    sameExchange(diff, "expected '$' after a CR-only count line end", '*1\r$4\r\nPING\r\n', true);
    sameExchange(diff, "expected '$', got a CR (sent as a space)", '*1\r\n\r\nPING\r\n', true);
    sameExchange(diff, "expected '$', got an LF (sent as a space)", '*1\r\n\nx\r\n', true);
    sameExchange(diff, "expected '$', got 0xff", '*1\r\n\xff\r\n', true);
    sameExchange(diff, "expected '$', got '*': too few arguments before the next request", `*2\r\n$4\r\nPING\r\n${PING}`, true);
    sameExchange(diff, 'too big mbulk count string', `*${'1'.repeat(70000)}`, true);
    sameExchange(diff, 'too big bulk count string', `*1\r\n$${'1'.repeat(70000)}`, true);
    sameExchange(diff, 'too big inline request', 'x'.repeat(70000), true);
    sameExchange(diff, 'too big inline request behind a NUL', `PI\0NG\r\n${'x'.repeat(70000)}`, true);
    sameExchange(diff, 'unbalanced double quote', 'ECHO "a\r\n', true);
    sameExchange(diff, 'unbalanced single quote', "ECHO 'a\r\n", true);
    sameExchange(diff, 'a closing quote followed by a letter', 'ECHO "a"b\r\n', true);
    sameExchange(diff, 'the requests before the error are answered first', `${PING}PING\r\n*1\r\n$2\r\nPI\r\n*x\r\n${PING}`, true);
    sameExchange(diff, 'requests after the error are ignored', `*x\r\n${PING}${PING}`, true);
  });

  describe('accepted: the server waits or answers and keeps the connection', () => {
    sameExchange(diff, 'a partial request', '*2\r\n$4\r\nECHO\r\n$5\r\nhel', false);
    sameExchange(diff, "a byte where '$' is due, before its line ends", '*1\r\nx', false);
    sameExchange(diff, 'a NUL in an inline request', 'PI\0NG\r\n', false);
    sameExchange(diff, 'a NUL in a count line', `*1\0\r\n${PING}`, false);
    sameExchange(diff, 'a declared 100 MB bulk', '*2\r\n$4\r\nECHO\r\n$104857600\r\nabc', false);
    sameExchange(diff, '*0, *-1 and *-5 are skipped', `*0\r\n*-1\r\n*-5\r\n${PING}`, false);
    sameExchange(diff, 'the bytes after a bulk are not checked', '*1\r\n$4\r\nPINGxxPING\r\n', false);
    sameExchange(diff, 'an empty command name', '*1\r\n$0\r\n\r\n', false);
    sameExchange(diff, 'inline commands with quotes and escapes', 'ECHO "a\\x00b\\n"\r\nECHO \'c\\\'d\'\r\nECHO a\vb\r\n', false);
    sameExchange(diff, 'blank inline lines', '\r\n\n  \r\nPING\n', false);
    sameExchange(diff, 'every byte value in a bulk', bytes(`*2\r\n$4\r\nECHO\r\n$256\r\n${Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1')}\r\n`), false);
  });
});

describe('differential: protocol limits over the socket', () => {
  const diff = Differential.suite({ 'client-query-buffer-limit': '1mb', 'proto-max-bulk-len': '1mb' });
  before(async () => {
    const control = await RawClient.connect(diff.redisPort);
    expect(await control.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb', 'proto-max-bulk-len', '1mb')).to.equal('+OK\r\n');
    await control.close();
  });

  sameExchange(diff, 'a bulk over proto-max-bulk-len', '*2\r\n$4\r\nECHO\r\n$1048577\r\n', true);
  sameExchange(diff, 'a bulk at proto-max-bulk-len waits', '*2\r\n$4\r\nECHO\r\n$1048576\r\n', false);
  // Redis drops the client without a reply: only the close is observable.
  sameExchange(diff, 'a query buffer over client-query-buffer-limit', `*2\r\n$4\r\nECHO\r\n$1048576\r\n${'x'.repeat(1100000)}`, true);
  // A big bulk sits alone in Redis's query buffer with its CRLF: bulk + 2 > limit drops the client.
  const echo = (n: number): string => `*2\r\n$4\r\nECHO\r\n$${n}\r\n${'x'.repeat(n)}\r\n`;
  sameExchange(diff, 'a bulk whose bytes and CRLF pass the limit by one', echo(1048575), true);
  sameExchange(diff, 'a bulk whose bytes and CRLF fill the limit exactly', echo(1048574) + 'PING\r\n', false);
});

describe('differential: request limits before authentication', () => {
  const diff = Differential.suite({ requirepass: 'pw' });
  before(async () => {
    const control = await RawClient.connect(diff.redisPort);
    expect(await control.call('CONFIG', 'SET', 'requirepass', 'pw')).to.equal('+OK\r\n');
    await control.close();
  });

  sameExchange(diff, 'more than 10 arguments', '*11\r\n', true);
  sameExchange(diff, '10 arguments wait', '*10\r\n', false);
  sameExchange(diff, 'a bulk over 16 KB', '*1\r\n$16385\r\n', true);
  sameExchange(diff, 'a 16 KB bulk waits', '*1\r\n$16384\r\n', false);
  sameExchange(diff, 'commands get NOAUTH', `${PING}PING\r\n`, false);
  sameExchange(diff, 'the limits lift once AUTH succeeds', '*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n', false);
  sameExchange(diff, 'and stay after a failed AUTH', '*2\r\n$4\r\nAUTH\r\n$2\r\nno\r\n*11\r\n', true);
  sameExchange(diff, 'inline AUTH counts too', 'AUTH pw\r\n*12\r\n', false);
});
