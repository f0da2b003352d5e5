import { INPUT_ACTION_ID } from './render-form-modal.ts';

/**
 * What a `view_submission` holds, from `view.state.values` (block_id → action_id → element state):
 * field id → the typed text (plain_text_input, number_input), the option id (static_select), or a
 * boolean (the yes/no radio buttons). A blank input is '' so the engine can tell "cleared" from "not
 * shown"; blocks that are not fixpath inputs, or elements of other kinds, are left out. Never throws.
 */
export function readModalValues(
  values: Record<string, Record<string, unknown>>,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  if (typeof values !== 'object' || values === null) return out;
  for (const [blockId, actions] of Object.entries(values)) {
    if (typeof actions !== 'object' || actions === null) continue;
    const state = (actions as Record<string, unknown>)[INPUT_ACTION_ID];
    if (typeof state !== 'object' || state === null) continue;
    const value = readState(state as ElementState);
    if (value !== undefined) out[blockId] = value;
  }
  return out;
}

interface ElementState {
  type?: unknown;
  value?: unknown;
  selected_option?: { value?: unknown } | null;
}

function readState(state: ElementState): string | boolean | undefined {
  switch (state.type) {
    case 'plain_text_input':
    case 'number_input':
      return typeof state.value === 'string' ? state.value : '';
    case 'static_select': {
      const option = state.selected_option?.value;
      return typeof option === 'string' ? option : '';
    }
    case 'radio_buttons': {
      const option = state.selected_option?.value;
      return option === 'yes' ? true : option === 'no' ? false : '';
    }
    default:
      return undefined;
  }
}
