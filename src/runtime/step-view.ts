import type { Ticket } from '../escalation/ticket.ts';
import type { FieldType, StepType } from '../flow/flow-schema.ts';
import type { StepOutcome } from '../machine/derive-path.ts';
import type { ConversationEvent } from './conversation-event.ts';

/**
 * Everything a surface needs to draw the current step, and nothing platform-specific: the Block Kit,
 * Adaptive Card, HTML and terminal renderers all start from this.
 */
export interface StepView {
  conversationId: string | null;
  /** The stored version this view shows; cards carry it back so stale clicks are caught. */
  revision: number;
  status: 'active' | 'resolved' | 'escalated' | 'expired';
  flow: { id: string; title: string; version: string; hash: string } | null;
  step: { id: string; type: StepType | 'expired'; phase?: 'collect' | 'filed' };
  title: string;
  blocks: ViewBlock[];
  /** The question the buttons answer, e.g. "Did it work?". */
  prompt: string | null;
  /** The buttons of this step, each with the event it sends. */
  choices: ViewChoice[];
  form: ViewForm | null;
  /** A short line under the step, e.g. "You can change your answer later." */
  note: string | null;
  progress: { answered: number; total: number } | null;
  layer: { id: string; title: string; index: number; count: number } | null;
  /** Answered steps, oldest first, for the compact history above the current step. */
  history: HistoryItem[];
  /** Global actions available now. */
  actions: GlobalAction[];
  faq: Array<{ id: string; question: string }>;
  faqAnswer: { id: string; question: string; answer: string } | null;
  feedback: { question: string; given: boolean | null; thanks: string } | null;
  ticket: Ticket | null;
  notice: { kind: 'info' | 'warning' | 'error'; text: string } | null;
}

export type ViewBlock =
  | { kind: 'text'; text: string }
  | { kind: 'labelled'; label: string; text: string }
  | { kind: 'list'; items: string[]; ordered: boolean; heading?: string }
  | { kind: 'checklist'; items: string[] };

export interface ViewChoice {
  id: string;
  label: string;
  description?: string;
  style: 'primary' | 'danger' | 'default';
  event: ConversationEvent;
}

export interface ViewField {
  id: string;
  label: string;
  type: FieldType;
  required: boolean;
  sensitive: boolean;
  help?: string;
  placeholder?: string;
  multiline?: boolean;
  options?: Array<{ id: string; label: string }>;
  min?: number | string;
  max?: number | string;
  maxLength?: number;
  /** For text fields: a regular expression the whole value must match, and what to say when it does not. */
  pattern?: string;
  patternHint?: string;
  /** For duration fields: how a bare number is read. */
  unit?: 'ms' | 's' | 'm' | 'h' | 'd';
  /** What to show in the input: the value given earlier, or what was just typed when it was refused. */
  value?: string;
}

export interface ViewForm {
  title: string;
  intro: string | null;
  submitLabel: string;
  /** Whether the form must be submitted to go on (capture, ticket details) or is optional (record). */
  optional: boolean;
  fields: ViewField[];
  errors: Record<string, string>;
}

export interface HistoryItem {
  step: string;
  title: string;
  answer: string;
  outcome?: StepOutcome;
}

export type GlobalAction = 'back' | 'restart' | 'escalate' | 'faq';
