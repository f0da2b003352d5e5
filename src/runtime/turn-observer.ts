import type { TurnResult } from './create-engine.ts';
import type { Effect } from './effect.ts';

/** One turn as an adapter's turn runner saw it. */
export interface TurnObservation {
  platform: string;
  /** The guide of the turn (the view's flow); undefined when there was none, e.g. an expired card. */
  flowId: string | undefined;
  outcome: TurnResult['outcome'] | 'error';
  /** Wall time of the turn, store round trips included. */
  seconds: number;
  /** The turn's effects: `resolved` and `escalated` count resolutions and escalations. */
  effects?: readonly Effect[];
}

/** Who is told about every turn (the metrics). */
export interface TurnObserver {
  observeTurn(turn: TurnObservation): void;
  observeFailure(turn: Omit<TurnObservation, 'outcome' | 'effects'> & { error: unknown }): void;
}
