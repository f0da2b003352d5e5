import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FixpathError } from '../errors.ts';
import { formatIssue } from '../flow/flow-issue.ts';
import { runFlowTestFile } from '../flow-tests/run-flow-test-file.ts';
import { type CliIo, write } from './cli-io.ts';
import type { CommandArgs } from './main.ts';

/** `fixpath test [paths…]`: runs guide test files and prints one line per test. */
export async function testCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const paths = args.positionals.length > 0 ? args.positionals : [args.flowsDir ?? 'flows'];
  const files = await testFiles(paths.map((p) => resolve(io.cwd, p)));
  if (files.length === 0) throw new FixpathError('usage', `no *.test.yaml files in ${paths.join(', ')}`);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const shown = shownPath(io.cwd, file);
    const outcome = await runFlowTestFile(file);
    if ('issues' in outcome) {
      for (const issue of outcome.issues)
        write(io.stderr, formatIssue({ ...issue, file: shownPath(io.cwd, issue.file) }));
      failed++;
      continue;
    }
    write(io.stdout, `${shown} (${outcome.guide})`);
    for (const result of outcome.results) {
      if (result.failures.length === 0) {
        passed++;
        write(io.stdout, `  ✓ ${result.name}`);
      } else {
        failed++;
        write(io.stdout, `  ✗ ${result.name}`);
        for (const failure of result.failures)
          write(io.stdout, `      ${failure.replace(/\n/g, '\n      ')}`);
      }
    }
  }
  write(io.stdout, `\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** A path as short as it can be: relative below the working folder, absolute elsewhere. */
function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

async function testFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: unknown) => {
      throw new FixpathError('usage', `${path}: no such file or folder`, { cause });
    });
    if (!info.isDirectory()) files.push(path);
    else {
      const names = (await readdir(path)).filter((n) => /\.test\.ya?ml$/.test(n)).sort();
      files.push(...names.map((n) => join(path, n)));
    }
  }
  return files;
}
