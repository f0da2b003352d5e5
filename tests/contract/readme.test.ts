import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.ts';
import { SINK_NAMES } from '../../src/config-file.ts';
import { ROOT } from '../helpers/guides.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (heading: string) => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);
};

describe('the README', () => {
  it('opens with the two commands a newcomer needs and a picture of the playground that exists', () => {
    const firstScreen = readme.split('\n').slice(0, 30).join('\n');
    const commands = [...firstScreen.matchAll(/^npm ci && npm (\w+)/gm)].map((m) => m[1]);
    expect(commands).toEqual(['start', 'test']);
    const picture = /!\[[^\]]+\]\(([^)]+\.png)\)/.exec(firstScreen)?.[1];
    expect(picture).toBeDefined();
    expect(existsSync(join(ROOT, picture ?? ''))).toBe(true);
  });

  it('has a row for every sink, naming only variables fixpath reads', () => {
    const table = section('Where tickets go')
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
    const rows = table.slice(1);
    for (const sink of SINK_NAMES) {
      expect(
        rows.filter((row) => row.includes(`(\`${sink}\`)`)),
        sink,
      ).toHaveLength(1);
    }
    const named = [...rows.join('\n').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !CONFIG_VARIABLES.includes(name ?? ''))).toEqual([]);
  });

  it('says when to move from SQLite to Redis and which variable does it', () => {
    const text = section('SQLite or Redis');
    expect(text).toContain('more than one replica');
    expect(text).toContain('REDIS_URL=');
    expect(CONFIG_VARIABLES).toContain('REDIS_URL');
  });
});
