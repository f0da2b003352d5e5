import type { StateValue } from 'xstate';
import type { Ticket } from '../escalation/ticket.ts';
import type { Actor, FlowContext } from '../machine/flow-context.ts';

/** What the store keeps per conversation: the machine snapshot plus who, when, which guide version. */
export interface ConversationRecord {
  id: string;
  key: string;
  flowId: string;
  /** Content hash of the guide version this conversation runs on, until it ends. */
  flowHash: string;
  snapshot: { value: StateValue; context: FlowContext };
  status: 'active' | 'resolved' | 'escalated';
  startedBy: Actor;
  startedAt: string;
  updatedAt: string;
  /** Every escalation filed in this conversation (a restart can lead to a second one). */
  escalations: Array<{ number: number; ticket: Ticket }>;
}
