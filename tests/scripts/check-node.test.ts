import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
// @ts-expect-error plain JavaScript, so that an old Node can run it: no types.
import { satisfiesMinimum } from '../../scripts/check-node.mjs';

const satisfies = satisfiesMinimum as (version: string, range: string) => boolean;

describe('the Node.js version check of the production commands', () => {
  it.each([
    ['22.17.0', true],
    ['v22.23.3', true],
    ['24.0.0', true],
    ['22.16.9', false],
    ['20.20.2', false],
    ['v18.19.0', false],
  ])('%s against >=22.17: %s', (version, expected) => {
    expect(satisfies(version, '>=22.17')).toBe(expected);
  });

  it('passes on the Node.js running the tests (the project’s own, 22)', () => {
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'check-node.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});
