import { z } from 'zod';

/**
 * The guide language. A guide is data: every key is checked here (unknown keys are refused, so typos
 * surface), and cross-references between steps, fields and ladder layers are checked by `lintFlow`.
 * `docs/flow-format.md` is the author's reference for this file.
 */

/** Slack's button text limit; Teams shows the same labels on card actions. */
export const LABEL_MAX = 75;
/** Slack's header block limit, used for guide and step titles. */
export const TITLE_MAX = 150;

export const Id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,63}$/,
    'an id: lowercase letters, digits, "-" or "_", starting with a letter, at most 64 characters',
  );

const Text = z.string().trim().min(1, 'some text');
const Title = Text.max(TITLE_MAX, `at most ${TITLE_MAX} characters`);
const Label = Text.max(
  LABEL_MAX,
  `at most ${LABEL_MAX} characters (the button text limit of Slack and Teams)`,
);

/** A duration as people write it: `90s`, `5m`, `1h30m`, `3600000ms`, `7d`. */
export const DURATION_PATTERN = /^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)+$/;
const DurationText = z.string().regex(DURATION_PATTERN, 'a duration such as 90s, 5m, 1h30m, 3600000ms or 7d');

const fieldBase = {
  id: Id,
  label: Text.max(200, 'at most 200 characters'),
  help: Text.optional(),
  placeholder: Text.max(150, 'at most 150 characters').optional(),
  required: z.boolean().default(true),
  /** Never logged; masked in tickets. */
  sensitive: z.boolean().default(false),
};

const TextField = z.strictObject({
  ...fieldBase,
  type: z.literal('text'),
  multiline: z.boolean().default(false),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(3000).default(2000),
  /** A regular expression the whole value must match (anchors are added). */
  pattern: z.string().min(1).optional(),
  /** Shown when `pattern` does not match. */
  patternHint: Text.optional(),
});

const NumberField = z.strictObject({
  ...fieldBase,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
});

export const DurationUnit = z.enum(['ms', 's', 'm', 'h', 'd']);

const DurationField = z.strictObject({
  ...fieldBase,
  type: z.literal('duration'),
  /** How a bare number is read (`3600` with unit `s` is one hour). Without it a unit is required. */
  unit: DurationUnit.optional(),
  min: DurationText.optional(),
  max: DurationText.optional(),
});

const ChoiceOption = z.strictObject({ id: Id, label: Label });

const ChoiceField = z.strictObject({
  ...fieldBase,
  type: z.literal('choice'),
  options: z.array(ChoiceOption).min(2, 'at least 2 options').max(100, 'at most 100 options'),
});

const YesNoField = z.strictObject({
  ...fieldBase,
  type: z.literal('yesno'),
});

export const FieldDefinition = z.discriminatedUnion('type', [
  TextField,
  NumberField,
  DurationField,
  ChoiceField,
  YesNoField,
]);

/** A literal to compare with, or another field's value. */
const Operand = z.union([z.string(), z.number(), z.boolean(), z.strictObject({ field: Id })]);

const COMPARISON_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'set'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const FieldComparison = z
  .strictObject({
    field: Id,
    eq: Operand.optional(),
    ne: Operand.optional(),
    lt: Operand.optional(),
    lte: Operand.optional(),
    gt: Operand.optional(),
    gte: Operand.optional(),
    in: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1)
      .optional(),
    /** `set: true` holds when the field has a value, `set: false` when it has none. */
    set: z.boolean().optional(),
  })
  .refine((c) => COMPARISON_OPS.filter((op) => c[op] !== undefined).length === 1, {
    message: `exactly one comparison: ${COMPARISON_OPS.join(', ')}`,
  });

/** Holds when the named question was answered with one of the choices. */
const AnswerComparison = z.strictObject({
  answer: Id,
  is: z.union([Id, z.array(Id).min(1)]),
});

export type Condition =
  | z.infer<typeof FieldComparison>
  | z.infer<typeof AnswerComparison>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    FieldComparison,
    AnswerComparison,
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
  ]),
);

const Outcome = z.strictObject({ label: Label, next: Id });

const Check = z.strictObject({
  question: Text.default('Did it work?'),
  good: Outcome,
  bad: Outcome,
  skip: Outcome.optional(),
});

const stepBase = {
  id: Id,
  /** The escalation-ladder layer this step works on. */
  layer: Id.optional(),
};

const QuestionStep = z.strictObject({
  ...stepBase,
  type: z.literal('question'),
  title: Title,
  help: Text.optional(),
  note: Text.default('You can change your answer later.'),
  /** The answer describes the problem: the ticket title quotes the latest such answer. */
  symptom: z.boolean().default(false),
  choices: z
    .array(z.strictObject({ id: Id, label: Label, description: Text.optional(), next: Id.optional() }))
    .min(2, 'at least 2 choices')
    .max(25, 'at most 25 choices'),
});

const FixStep = z.strictObject({
  ...stepBase,
  type: z.literal('fix'),
  title: Title,
  goal: Text,
  instructions: z.array(Text).min(1, 'at least one instruction'),
  /** Fields the user may fill in to record what they found. */
  record: z.array(Id).optional(),
  check: Check,
});

const VerifyStep = z.strictObject({
  ...stepBase,
  type: z.literal('verify'),
  title: Title,
  intro: Text.optional(),
  checks: z.array(Text).min(1, 'at least one check'),
  check: Check,
});

const CaptureStep = z.strictObject({
  ...stepBase,
  type: z.literal('capture'),
  title: Title,
  intro: Text.optional(),
  fields: z.array(Id).min(1, 'at least one field'),
  submitLabel: Label.default('Save'),
  next: Id.optional(),
});

const BranchStep = z.strictObject({
  ...stepBase,
  type: z.literal('branch'),
  title: Title.optional(),
  rules: z.array(z.strictObject({ when: Condition, next: Id })).min(1, 'at least one rule'),
  otherwise: Id,
});

const InfoStep = z.strictObject({
  ...stepBase,
  type: z.literal('info'),
  title: Title,
  goal: Text.optional(),
  body: Text.optional(),
  items: z.array(Text).optional(),
  continueLabel: Label.default('Continue'),
  next: Id.optional(),
});

const ResolveStep = z.strictObject({
  ...stepBase,
  type: z.literal('resolve'),
  title: Title,
  message: Text,
  feedback: z
    .strictObject({
      question: Text.default('Was this helpful?'),
      thanks: Text.default('Thanks for your feedback.'),
    })
    .default({ question: 'Was this helpful?', thanks: 'Thanks for your feedback.' }),
});

const EscalateStep = z.strictObject({
  ...stepBase,
  type: z.literal('escalate'),
  title: Title,
  message: Text,
  /** Who the ticket goes to, as people would say it. */
  team: Text,
  severity: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
});

export const Step = z.discriminatedUnion('type', [
  QuestionStep,
  FixStep,
  VerifyStep,
  CaptureStep,
  BranchStep,
  InfoStep,
  ResolveStep,
  EscalateStep,
]);

const CaptureItem = z
  .strictObject({
    label: Text,
    fields: z.array(Id).min(1).optional(),
    /** Filled in by the engine itself, never asked: `steps-tried` is the fix steps visited with outcomes. */
    auto: z.enum(['steps-tried']).optional(),
  })
  .refine((item) => (item.fields === undefined) !== (item.auto === undefined), {
    message: 'either `fields` (ids of fields to capture) or `auto: steps-tried`',
  });

export const FlowDefinition = z.strictObject({
  id: Id,
  title: Title,
  summary: Text.max(500, 'at most 500 characters'),
  /** The content version authors bump on each change, shown in tickets. */
  version: z
    .union([z.string().min(1), z.number().int('a whole number, or text in quotes such as "1.10"')])
    .transform(String),
  owner: Text,
  reviewedBy: Text.optional(),
  symptoms: z.array(Text).min(1, 'at least one symptom people would type'),
  prerequisites: z.array(Text).default([]),
  /** The triage entry: the first step shown. */
  start: Id,
  /** The escalate step that "I need help now" leads to; the first escalate step when left out. */
  help: Id.optional(),
  ladder: z.strictObject({
    intro: Text.optional(),
    layers: z.array(z.strictObject({ id: Id, title: Label, description: Text })).min(1, 'at least one layer'),
  }),
  capture: z.strictObject({
    intro: Text.optional(),
    /** A text or choice field whose value names the problem in the ticket title (before any `symptom` answer). */
    titleField: Id.optional(),
    items: z.array(CaptureItem).min(1, 'at least one item'),
  }),
  fields: z.array(FieldDefinition).default([]),
  faq: z.array(z.strictObject({ id: Id, question: Label, answer: Text })).default([]),
  steps: z.array(Step).min(2, 'at least 2 steps'),
});

export type FlowDefinition = z.infer<typeof FlowDefinition>;
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];
export type FieldDefinition = z.infer<typeof FieldDefinition>;
export type FieldType = FieldDefinition['type'];
export type DurationUnit = z.infer<typeof DurationUnit>;
