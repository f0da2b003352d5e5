import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/guides.ts';

/**
 * Dependencies point inward: flow → machine → runtime, with adapters, escalation and stores at the
 * edge. Only src/adapters/slack may import @slack/*, only src/adapters/teams botbuilder*, and no
 * adapter imports another. Each folder lists what it may import besides itself, `errors.ts` and `logger.ts`.
 */
const ALLOWED: Record<string, { local: string[]; packages: RegExp[] }> = {
  flow: { local: [], packages: [/^zod$/, /^yaml$/] },
  machine: { local: ['flow'], packages: [/^xstate$/] },
  escalation: { local: ['flow', 'machine', 'stores'], packages: [] },
  stores: { local: [], packages: [/^better-sqlite3$/, /^ioredis$/] },
  runtime: { local: ['flow', 'machine', 'escalation', 'stores'], packages: [/^xstate$/, /^zod$/] },
  'flow-tests': { local: ['flow', 'runtime'], packages: [/^zod$/] },
  'adapters/cli': { local: ['runtime', 'machine'], packages: [] },
  'adapters/slack': {
    local: ['runtime', 'machine', 'flow', 'escalation', 'stores', 'config.ts'],
    packages: [/^@slack\//, /^zod$/],
  },
  'adapters/teams': {
    local: ['runtime', 'machine', 'flow', 'escalation', 'stores', 'config.ts'],
    packages: [/^botbuilder/, /^zod$/],
  },
  'adapters/web': { local: ['runtime', 'machine', 'flow'], packages: [] },
  ops: { local: ['runtime', 'stores', 'flow'], packages: [/^prom-client$/] },
  cli: { local: ['*'], packages: [] },
};

/** Pure layers must not reach for the process, the file system or the network. */
const PURE = ['flow', 'machine', 'escalation', 'runtime'];
const PURE_EXCEPTIONS = new Set(['src/flow/load-flow-files.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm))
    found.push(match[1] ?? '');
  for (const match of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(match[1] ?? '');
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] ?? '');
  return found;
}

/** The layer a file belongs to: the longest matching folder under src/. */
function layerOf(file: string): string | undefined {
  const rel = relative(join(ROOT, 'src'), file);
  const folders = Object.keys(ALLOWED).sort((a, b) => b.length - a.length);
  return folders.find((folder) => rel.startsWith(`${folder}/`));
}

const files = sourceFiles(join(ROOT, 'src'));

describe('the dependency rules', () => {
  it('place every source file in a known layer or at the top of src/', () => {
    const stray = files.filter(
      (f) => layerOf(f) === undefined && relative(join(ROOT, 'src'), f).includes('/'),
    );
    expect(stray.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('let each layer import only what the architecture allows', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      if (layer === undefined) continue;
      const rules = ALLOWED[layer];
      if (!rules) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const where = relative(ROOT, file);
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          const target = join(file, '..', spec);
          const targetLayer = layerOf(target);
          const targetRel = relative(join(ROOT, 'src'), target);
          const allowed =
            targetLayer === layer ||
            targetRel === 'errors.ts' ||
            targetRel === 'logger.ts' ||
            rules.local.includes(targetRel) ||
            rules.local.includes('*') ||
            (targetLayer !== undefined && rules.local.includes(targetLayer));
          if (!allowed) violations.push(`${where} imports ${spec}`);
        } else if (!rules.packages.some((p) => p.test(spec)) && !rules.local.includes('*')) {
          violations.push(`${where} imports the package ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('let adapters reach stores only through their ports, never an implementation', () => {
    const reaching = files
      .filter((f) => (layerOf(f) ?? '').startsWith('adapters/'))
      .flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => relative(join(ROOT, 'src'), join(file, '..', spec)))
          .filter((target) => target.startsWith('stores/') && target.split('/').length > 2)
          .map((target) => `${relative(ROOT, file)} imports ${target}`),
      );
    expect(reaching).toEqual([]);
  });

  it('keep platform SDKs inside their own adapter folder', () => {
    const leaks = files.flatMap((file) => {
      const rel = relative(ROOT, file);
      return importsOf(readFileSync(file, 'utf8'))
        .filter(
          (spec) =>
            (spec.startsWith('@slack/') && !rel.startsWith('src/adapters/slack/')) ||
            (spec.startsWith('botbuilder') && !rel.startsWith('src/adapters/teams/')),
        )
        .map((spec) => `${rel} imports ${spec}`);
    });
    expect(leaks).toEqual([]);
  });

  it('keep the pure layers free of the process environment and I/O', () => {
    const impure = files
      .filter((f) => PURE.includes(layerOf(f) ?? '') && !PURE_EXCEPTIONS.has(relative(ROOT, f)))
      .flatMap((file) => {
        const source = readFileSync(file, 'utf8');
        const bad = [/process\.env/, /from 'node:fs/, /from 'node:net'/, /from 'node:http'/, /\bfetch\(/];
        return bad.filter((re) => re.test(source)).map((re) => `${relative(ROOT, file)} uses ${re.source}`);
      });
    expect(impure).toEqual([]);
  });

  it('catches a forbidden import when one is written (the rule is not vacuous)', () => {
    const source =
      "import { App } from '@slack/bolt';\nexport { x } from './y.ts';\nimport 'botbuilder';\nawait import('ioredis');";
    expect(importsOf(source)).toEqual(['@slack/bolt', './y.ts', 'botbuilder', 'ioredis']);
  });
});
