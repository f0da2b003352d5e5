import type { ViewBlock } from '../../runtime/step-view.ts';
import { type CardDetail, oneLine, truncate } from './card-limits.ts';
import { codeSpans, guideText } from './card-text.ts';

/**
 * One block of guide content as card elements: a paragraph, a labelled line ("**Goal:** …"), a list
 * with its optional heading, or a checklist. Guide text keeps its Markdown; very long lists are cut
 * with a line that says so.
 */
export function renderViewBlock(block: ViewBlock, detail: CardDetail): object[] {
  switch (block.kind) {
    case 'text':
      return [{ type: 'TextBlock', text: guideText(truncate(block.text, detail.textChars)), wrap: true }];
    case 'labelled':
      return [
        {
          type: 'TextBlock',
          text: `**${block.label}:** ${guideText(truncate(block.text, detail.textChars))}`,
          wrap: true,
        },
      ];
    case 'list': {
      const items = block.items
        .slice(0, detail.listItems)
        .map(
          (item, i) =>
            `${block.ordered ? `${i + 1}.` : '-'} ${codeSpans(oneLine(truncate(item, detail.listItemChars)))}`,
        );
      return [
        ...(block.heading
          ? [{ type: 'TextBlock', text: block.heading, weight: 'bolder', wrap: true, spacing: 'medium' }]
          : []),
        {
          type: 'TextBlock',
          text: items.join('\r'),
          wrap: true,
          ...(block.heading ? { spacing: 'small' } : {}),
        },
        ...moreItems(block.items.length, detail),
      ];
    }
    case 'checklist':
      return [
        {
          type: 'Container',
          items: [
            ...block.items.slice(0, detail.listItems).map((item) => ({
              type: 'TextBlock',
              text: `☐ ${codeSpans(oneLine(truncate(item, detail.listItemChars)))}`,
              wrap: true,
              spacing: 'small',
            })),
            ...moreItems(block.items.length, detail),
          ],
        },
      ];
  }
}

/** The line saying how many items of a very long list were left out. */
function moreItems(count: number, detail: CardDetail): object[] {
  const hidden = count - detail.listItems;
  if (hidden <= 0) return [];
  const text = `…and ${hidden} more, not shown here for lack of space.`;
  return [{ type: 'TextBlock', text, isSubtle: true, size: 'small', wrap: true, spacing: 'small' }];
}
