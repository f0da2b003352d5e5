import type { PathEntry, StepTried } from '../machine/derive-path.ts';
import type { Actor } from '../machine/flow-context.ts';

/** The escalation ticket, built purely from a conversation; sinks format it for their destination. */
export interface Ticket {
  title: string;
  guide: { id: string; title: string; version: string; hash: string; owner: string; reviewedBy?: string };
  conversationId: string;
  /** 1 for the first escalation of a conversation, 2 after a restart and a second one… */
  escalationNumber: number;
  reporter: Actor;
  createdAt: string;
  team: string;
  severity: 'low' | 'normal' | 'high' | 'urgent';
  /** How it got here: the guide's own escalate step, or "I need help now". */
  reason: 'guide' | 'help_now';
  /** The escalate step's title and message. */
  headline: string;
  message: string;
  /** The guide's "what to capture" intro and list with the values given, in its order. */
  captureIntro?: string;
  capture: Array<{
    label: string;
    value: string;
    fields: Array<{ id: string; label: string; value: string }>;
  }>;
  stepsTried: StepTried[];
  path: PathEntry[];
  ladder: {
    intro?: string;
    reached: { id: string; title: string; index: number; count: number } | null;
    layers: Array<{ id: string; title: string; description: string; visited: boolean }>;
  };
  markdown: string;
}
