import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/guides.ts';

/** The Dockerfile's instructions, continuation lines joined, comments dropped, per stage. */
function stages(text: string) {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const result: Array<{ from: string; name: string | undefined; instructions: string[] }> = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = rest;
      result.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else result.at(-1)?.instructions.push(line);
  }
  return result;
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('the Dockerfile', () => {
  const all = stages(dockerfile);
  const runtime = all.at(-1);

  it('builds in stages on node:20-slim, compiling better-sqlite3 in the first and shipping production dependencies only', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((s) => s.from === 'node:20-slim')).toBe(true);
    const deps = all[0]?.instructions.join('\n') ?? '';
    expect(deps).toMatch(/apt-get install .*python3 .*make .*g\+\+/);
    expect(deps).toMatch(/npm ci --omit=dev/);
    expect(runtime?.instructions.join('\n')).toMatch(/COPY --from=deps \/app\/node_modules/);
  });

  it('runs as a non-root user with a data volume for the SQLite file, on port 3978, with a health check', () => {
    const text = runtime?.instructions.join('\n') ?? '';
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(text).toMatch(/FIXPATH_DATABASE=\/data\/fixpath\.db/);
    expect(text).toMatch(/^EXPOSE 3978$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\/healthz/m);
  });

  it('starts exactly what `npm start` starts, listening beyond loopback inside the container', () => {
    const text = runtime?.instructions.join('\n') ?? '';
    expect(text).toMatch(/^CMD \["npm", "start"\]$/m);
    expect(pkg.scripts.start).toBe('node bin/fixpath.js serve');
    expect(text).toMatch(/HOST=0\.0\.0\.0/);
    for (const path of ['bin', 'src', 'flows']) expect(text).toContain(`COPY ${path} ./${path}`);
  });
});
