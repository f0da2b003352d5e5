import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runFlowTestFile } from '../../src/flow-tests/run-flow-test-file.ts';
import { FLOWS_DIR } from '../helpers/guides.ts';

const testFiles = readdirSync(FLOWS_DIR)
  .filter((name) => name.endsWith('.test.yaml'))
  .sort();
const guides = readdirSync(FLOWS_DIR).filter(
  (name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml'),
);

describe('the guides in flows/', () => {
  it('each come with a test file', () => {
    expect(testFiles.map((f) => f.replace('.test.yaml', '.yaml')).sort()).toEqual(guides.sort());
  });
});

describe.each(testFiles)('the scripted paths of %s', (file) => {
  const path = join(FLOWS_DIR, file);
  const names: string[] = (parse(readFileSync(path, 'utf8')) as { tests: Array<{ name: string }> }).tests.map(
    (t) => t.name,
  );
  const outcome = runFlowTestFile(path);

  it.each(names)('%s', async (name) => {
    const result = await outcome;
    if ('issues' in result) throw new Error(JSON.stringify(result.issues, null, 2));
    expect(result.results.find((r) => r.name === name)?.failures).toEqual([]);
  });
});
