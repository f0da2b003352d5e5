import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { readModalValues } from '../../../../src/adapters/slack/read-modal-values.ts';
import { renderFormModal } from '../../../../src/adapters/slack/render-form-modal.ts';
import { validateSubmission } from '../../../../src/runtime/validate-submission.ts';
import { everyView } from '../../../helpers/explore-guide.ts';
import { allGuides } from '../../../helpers/guides.ts';

// `view.state.values` as a view_submission payload carries it: block_id → action_id → element state.
const submitted = {
  page_origin: { value: { type: 'plain_text_input', value: 'https://app.example.com' } },
  console_error: { value: { type: 'plain_text_input', value: 'Blocked by CORS policy:\n<@U123> & more' } },
  failing_request: { value: { type: 'plain_text_input', value: null } },
  preflight_status: { value: { type: 'number_input', value: '204' } },
  upstream_response_time: { value: { type: 'plain_text_input', value: '1h30m' } },
  proxy_in_path: {
    value: {
      type: 'static_select',
      selected_option: {
        text: { type: 'plain_text', text: 'A CDN (CloudFront, Cloudflare)', emoji: true },
        value: 'cdn',
      },
    },
  },
  uses_credentials: {
    value: {
      type: 'radio_buttons',
      selected_option: { text: { type: 'plain_text', text: 'Yes', emoji: true }, value: 'yes' },
    },
  },
  sticky: {
    value: {
      type: 'radio_buttons',
      selected_option: { text: { type: 'plain_text', text: 'No', emoji: true }, value: 'no' },
    },
  },
  unanswered_choice: { value: { type: 'static_select', selected_option: null } },
  unanswered_yes_no: { value: { type: 'radio_buttons', selected_option: null } },
};

describe('readModalValues', () => {
  it('reads each input type: typed text, numbers as typed, option ids and yes/no as booleans', () => {
    expect(readModalValues(submitted)).toEqual({
      page_origin: 'https://app.example.com',
      console_error: 'Blocked by CORS policy:\n<@U123> & more',
      failing_request: '',
      preflight_status: '204',
      upstream_response_time: '1h30m',
      proxy_in_path: 'cdn',
      uses_credentials: true,
      sticky: false,
      unanswered_choice: '',
      unanswered_yes_no: '',
    });
  });

  it('leaves out blocks that are not fixpath inputs and element kinds it does not draw', () => {
    const values = {
      page_origin: { value: { type: 'plain_text_input', value: 'https://a.example' } },
      section_block: {
        multi_convos: { type: 'multi_conversations_select', selected_conversations: ['G12345'] },
      },
      picked_day: { value: { type: 'datepicker', selected_date: '2026-03-02' } },
      broken: { value: null },
    } as unknown as Record<string, Record<string, unknown>>;
    expect(readModalValues(values)).toEqual({ page_origin: 'https://a.example' });
    expect(readModalValues(null as never)).toEqual({});
  });
});

/** What a person would put in each input of the modal, as Slack reports it back. */
function fill(modal: types.ModalView): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of modal.blocks as types.KnownBlock[]) {
    if (block.type !== 'input' || !block.block_id) continue;
    const { element } = block;
    const state = (() => {
      switch (element.type) {
        case 'plain_text_input':
          return { type: element.type, value: typed(block.hint?.text, element.placeholder?.text) };
        case 'number_input':
          return { type: element.type, value: element.min_value ?? '1' };
        case 'static_select':
        case 'radio_buttons':
          return { type: element.type, selected_option: element.options?.[0] };
        default:
          throw new Error(`fixpath draws no ${element.type}`);
      }
    })();
    values[block.block_id] = { value: state };
  }
  return values;
}

/** A duration (the lowest allowed, when the hint names one), else the placeholder's example, else words. */
function typed(hint: string | undefined, placeholder: string | undefined): string {
  if (hint?.includes('3600000ms')) return /(?:Between|At least) (\S+?)[ .]/.exec(hint)?.[1] ?? '30m';
  return placeholder ?? 'sample text';
}

describe('a form filled in through its modal', () => {
  it('gives the engine values it accepts, for every form of every guide', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const guide of await allGuides()) {
      const fields = new Map(guide.definition.fields.map((f) => [f.id, f]));
      for (const view of everyView(guide)) {
        if (!view.form || Object.keys(view.form.errors).length > 0) continue;
        const raw = readModalValues(fill(renderFormModal(view, { conversationKey: 'k' })));
        const definitions = view.form.fields.flatMap((f) => fields.get(f.id) ?? []);
        expect(Object.keys(raw).sort()).toEqual(definitions.map((f) => f.id).sort());
        const result = validateSubmission(definitions, raw, { partial: view.form.optional });
        if (!result.ok)
          failures.push(`${guide.definition.id} ${view.step.id}: ${JSON.stringify(result.errors)}`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
