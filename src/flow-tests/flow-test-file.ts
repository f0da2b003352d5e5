import { z } from 'zod';
import { Id } from '../flow/flow-schema.ts';
import { ScriptEvent } from '../runtime/script-event.ts';

/** A guide's test file (`flows/<id>.test.yaml`): scripted paths and what they must end in. */
export const FlowTestFile = z.strictObject({
  guide: Id,
  tests: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        user: z.strictObject({ id: z.string().min(1), name: z.string().min(1).optional() }).optional(),
        events: z.array(ScriptEvent).default([]),
        expect: z.strictObject({
          status: z.enum(['active', 'resolved', 'escalated']),
          node: Id,
          ticket: z
            .strictObject({
              title: z.string().optional(),
              fields: z
                .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
                .optional(),
              stepsTried: z
                .array(z.strictObject({ step: Id, outcome: z.enum(['worked', 'did_not_work', 'skipped']) }))
                .optional(),
              contains: z.array(z.string().min(1)).optional(),
              excludes: z.array(z.string().min(1)).optional(),
            })
            .optional(),
        }),
      }),
    )
    .min(1, 'at least one test'),
});

export type FlowTestFile = z.infer<typeof FlowTestFile>;
export type FlowTest = FlowTestFile['tests'][number];
