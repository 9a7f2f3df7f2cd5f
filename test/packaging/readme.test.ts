// The README keeps its promises: exactly two set-up commands, the test one being what CI runs,
// and generated sections that match the tables they come from (run `npm run docs` when this
// fails after adding a command or a config parameter).

import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { currentSection, generate } from '../../src/cli/docs.js';
import { ROOT } from './pack-helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced `sh` blocks of one `## ` section. */
function shellBlocks(section: string): string[] {
  const start = readme.indexOf(`## ${section}\n`);
  expect(start, `README section ${section}`).to.be.greaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
}

describe('packaging: README', () => {
  it('gives exactly two set-up commands: start the server, run the tests', () => {
    const [start, test, ...rest] = shellBlocks('Set up');
    expect(rest).to.deep.equal([]);
    expect(start).to.equal('npm ci && npm run build && ./bin/ringcache-server');
    expect(test).to.equal('./scripts/test.sh');
  });

  it('its test command is the one CI runs, after installing Redis and redis-py itself', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const [, test] = shellBlocks('Set up');
    const commands = ci.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(ci.startsWith('#!/usr/bin/env bash\n')).to.equal(true);
    expect(commands).to.include('set -euo pipefail');
    expect(commands).to.include('apt-get update');
    // redis-py (python3-redis) runs the RedisCluster compatibility test.
    expect(commands).to.include('apt-get install -y redis-server redis-tools python3-redis');
    expect(commands).to.include('npm ci');
    expect(commands).to.include('npm run build');
    expect(commands[commands.length - 1]).to.equal(test);
    for (const script of ['.ci/run', 'scripts/test.sh', 'bin/ringcache-server']) {
      expect(statSync(join(ROOT, script)).mode & 0o111, `${script} is executable`).to.not.equal(0);
    }
  });

  it('has the configuration reference generated from the config table', () => {
    expect(currentSection(readme, 'config'), 'run `npm run docs:config`').to.equal(generate('config'));
  });

  it('has the command table generated from the command table', () => {
    expect(currentSection(readme, 'commands'), 'run `npm run docs:commands`').to.equal(generate('commands'));
  });

  it('covers embedding, Docker, differences from Redis, and the licence', () => {
    for (const heading of ['## Embedding in a test suite', '## Docker', '## Configuration reference', '## Command compatibility', '## Differences from Redis']) {
      expect(readme).to.include(`\n${heading}\n`);
    }
    expect(readme).to.include("import { createServer } from 'ringcache';");
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license.split('\n')[0]).to.equal('MIT License');
    expect(license).to.include('Copyright (c) 2026 ringcache contributors');
  });
});
