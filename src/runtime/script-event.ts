import { z } from 'zod';

const Value = z.union([z.string(), z.number(), z.boolean()]);

/** One scripted user action, as `fixpath replay` and guide test files write it. */
export const ScriptEvent = z.union([
  z.strictObject({ choose: z.union([z.string().min(1), z.number()]).transform(String) }),
  z.strictObject({ submit: z.record(z.string(), Value) }),
  z.strictObject({ back: z.literal(true) }),
  z.strictObject({ restart: z.literal(true) }),
  z.strictObject({ escalate: z.literal(true) }),
  z.strictObject({ faq: z.string().min(1) }),
  z.strictObject({ feedback: z.union([z.boolean(), z.enum(['yes', 'no'])]) }),
]);

export type ScriptEvent = z.infer<typeof ScriptEvent>;

export const ScriptEvents = z.array(ScriptEvent);
