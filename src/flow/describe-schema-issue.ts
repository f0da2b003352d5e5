import type { z } from 'zod';
import type { IssuePath } from './flow-issue.ts';
import { closest } from './wording.ts';

export interface DescribedIssue {
  path: IssuePath;
  /** Set when the issue is about one key of the mapping at `path` (an unknown key). */
  key?: string;
  message: string;
}

type AnySchema = z.core.$ZodType;

/** Turns one zod issue into sentences a guide author can act on. */
export function describeSchemaIssue(
  issue: z.core.$ZodIssue,
  schema: AnySchema,
  data: unknown,
): DescribedIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, data, path);
      return issue.keys.map((key) => {
        const guess = allowed ? closest(key, allowed) : undefined;
        const hint = guess
          ? ` (did you mean \`${guess}\`?)`
          : allowed
            ? ` (allowed here: ${allowed.join(', ')})`
            : '';
        return { path, key, message: `unknown key \`${key}\`${hint}` };
      });
    }
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        const key = path[path.length - 1];
        return [
          { path: path.slice(0, -1), message: `missing \`${String(key)}\`: expected ${issue.expected}` },
        ];
      }
      return [{ path, message: `expected ${issue.expected}, got ${kindOf(input)}` }];
    }
    case 'invalid_union': {
      const discriminated = issue as { discriminator?: string; options?: unknown[] };
      if (discriminated.discriminator !== undefined) {
        const got = valueAt(data, path);
        const options = (discriminated.options ?? []).map(String).join(', ');
        const prefix =
          got === undefined ? `missing \`${discriminated.discriminator}\`` : `unknown ${kindOfValue(got)}`;
        return [{ path, message: `${prefix}: expected one of ${options}` }];
      }
      if (path.includes('events')) {
        return [
          {
            path,
            message:
              'expected one event: { choose: <id or label> }, { submit: { <field>: <value> } }, { back: true }, ' +
              '{ restart: true }, { escalate: true }, { faq: <id or question> } or { feedback: yes|no }',
          },
        ];
      }
      if (path.includes('when') || path.includes('all') || path.includes('any') || path.includes('not')) {
        return [
          {
            path,
            message:
              'expected a condition: { field: <id>, eq|ne|lt|lte|gt|gte: <value or { field: <id> }> }, ' +
              '{ field: <id>, in: [values] }, { field: <id>, set: true|false }, { answer: <question id>, is: <choice id> }, ' +
              '{ all: [...] }, { any: [...] } or { not: <condition> }',
          },
        ];
      }
      return [{ path, message: simplify(issue.message) }];
    }
    case 'invalid_value':
      return [{ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'too_big':
    case 'too_small': {
      const input = (issue as { input?: unknown }).input;
      const size = typeof input === 'string' || Array.isArray(input) ? ` (it has ${input.length})` : '';
      return [{ path, message: `${simplify(issue.message)}${size}` }];
    }
    default:
      return [{ path, message: simplify(issue.message) }];
  }
}

function valueAt(data: unknown, path: IssuePath): unknown {
  let value = data;
  for (const part of path) value = (value as Record<string | number, unknown> | null | undefined)?.[part];
  return value;
}

function simplify(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/^Invalid string: /, '');
}

function kindOf(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function kindOfValue(value: unknown): string {
  return typeof value === 'string' ? `\`${value}\`` : kindOf(value);
}

/** The keys the schema accepts for the mapping at `path`, following the data through unions and lists. */
function keysAt(schema: AnySchema, data: unknown, path: IssuePath): string[] | undefined {
  let current: AnySchema | undefined = schema;
  let value = data;
  for (const part of [...path, undefined]) {
    current = current && unwrap(current, value);
    if (!current) return undefined;
    if (part === undefined) break;
    const def = current._zod.def as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema };
    if (def.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else if (def.type === 'array' && typeof part === 'number') current = def.element;
    else return undefined;
    value = (value as Record<string | number, unknown> | undefined)?.[part];
  }
  const def = current?._zod.def as { type: string; shape?: Record<string, AnySchema> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

function unwrap(schema: AnySchema, value: unknown): AnySchema | undefined {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = current._zod.def as {
      type: string;
      innerType?: AnySchema;
      getter?: () => AnySchema;
      in?: AnySchema;
      options?: AnySchema[];
      discriminator?: string;
    };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'lazy' && def.getter) current = def.getter();
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.options) {
      const picked = pickOption(def.options, def.discriminator, value);
      if (!picked) return undefined;
      current = picked;
    } else return current;
  }
  return undefined;
}

function pickOption(
  options: AnySchema[],
  discriminator: string | undefined,
  value: unknown,
): AnySchema | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const shapes = options.filter((o) => (o._zod.def as { type: string }).type === 'object');
  if (discriminator !== undefined) {
    return shapes.find((o) => {
      const shape = (o._zod.def as unknown as { shape: Record<string, AnySchema> }).shape;
      const literal = shape[discriminator]?._zod.def as { values?: unknown[] } | undefined;
      return literal?.values?.includes(record[discriminator]);
    });
  }
  // Plain union of mappings: the option that shares the most keys with the value.
  let best: AnySchema | undefined;
  let bestScore = -1;
  for (const option of shapes) {
    const keys = Object.keys((option._zod.def as unknown as { shape: Record<string, AnySchema> }).shape);
    const score = Object.keys(record).filter((k) => keys.includes(k)).length;
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}
