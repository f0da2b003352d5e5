// The step as Teams shows it: the card JSON the Teams adapter sends, drawn by the official Adaptive
// Cards renderer (the `adaptivecards` package) with a Teams-like host config. A click on an
// Action.Execute or Action.Submit reports the action's data (inputs merged in, after the renderer's
// own input validation), as Teams would send it to the bot.

import { h } from './dom.js';
import { teamsMarkdownToHtml } from './teams-markdown.js';

const TEXT = '#242424';
const SUBTLE = '#616161';

const colors = (accent) => ({
  default: { default: TEXT, subtle: SUBTLE },
  dark: { default: '#252423', subtle: '#484644' },
  light: { default: '#ffffff', subtle: '#fafafa' },
  accent: { default: accent, subtle: '#7f85f5' },
  good: { default: '#237b4b', subtle: '#3d8b58' },
  warning: { default: '#835c00', subtle: '#9a6d00' },
  attention: { default: '#c4314b', subtle: '#d13438' },
});

/** Close to the Teams light theme: Segoe UI, Teams' spacing, colours and inline show-cards. */
const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily:
    "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e0e0e0' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: colors('#5b5fc7') },
    emphasis: { backgroundColor: '#f5f5f5', foregroundColors: colors('#5b5fc7') },
    accent: { backgroundColor: '#e8ebfa', foregroundColors: colors('#4f52b2') },
    good: { backgroundColor: '#f1faf1', foregroundColors: colors('#5b5fc7') },
    warning: { backgroundColor: '#fbf6d9', foregroundColors: colors('#5b5fc7') },
    attention: { backgroundColor: '#fdf3f4', foregroundColors: colors('#5b5fc7') },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 12, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
    allowTitleToWrap: true,
  },
  adaptiveCard: { allowCustomStyle: true },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
    },
    errorMessage: { size: 'small', spacing: 'small' },
  },
  textStyles: {
    heading: { size: 'large', weight: 'bolder', color: 'default', fontType: 'default' },
  },
  textBlock: { headingLevel: 2 },
};

let configured = null;

/** The renderer, set up once: markdown through our safe converter, the Teams host config. */
function renderer() {
  if (configured) return configured;
  const AC = globalThis.AdaptiveCards;
  if (!AC || typeof AC.ExecuteAction !== 'function') return null;
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = teamsMarkdownToHtml(text);
    result.didProcess = true;
  };
  configured = { AC, hostConfig: new AC.HostConfig(TEAMS_HOST_CONFIG) };
  return configured;
}

/**
 * The card in a Teams-like chat message. `onAction(data)` gets the data of every Action.Execute and
 * Action.Submit the user clicks; Action.ShowCard and the overflow menu work inside the renderer.
 */
export function renderTeamsCard(card, { onAction, appName = 'fixpath' }) {
  const setup = renderer();
  let content;
  const warnings = [];
  if (!setup) {
    content = h(
      'div',
      { class: 'tm-missing' },
      'The Adaptive Cards renderer (the adaptivecards package, version 3) did not load, so the Teams card cannot be drawn.',
    );
  } else {
    const { AC, hostConfig } = setup;
    const adaptive = new AC.AdaptiveCard();
    adaptive.hostConfig = hostConfig;
    adaptive.onExecuteAction = (action) => {
      const type = action.getJsonTypeName();
      if (type === 'Action.Execute' || type === 'Action.Submit') onAction(action.data ?? {});
    };
    const context = new AC.SerializationContext();
    adaptive.parse(card, context);
    for (let i = 0; i < context.eventCount; i++) warnings.push(context.getEventAt(i).message);
    content =
      adaptive.render() ?? h('div', { class: 'tm-missing' }, 'The renderer drew nothing for this card.');
  }
  return h(
    'div',
    { class: 'tm-message' },
    h('div', { class: 'tm-avatar', 'aria-hidden': 'true' }, 'fp'),
    h(
      'div',
      { class: 'tm-bubble' },
      h(
        'div',
        { class: 'tm-meta' },
        h('span', { class: 'tm-name' }, appName),
        h('span', { class: 'tm-time' }, timeNow()),
      ),
      h('div', { class: 'tm-card' }, content),
      warnings.length > 0
        ? h(
            'details',
            { class: 'tm-warnings' },
            h(
              'summary',
              {},
              `The renderer reported ${warnings.length} issue${warnings.length === 1 ? '' : 's'} with this card`,
            ),
            h(
              'ul',
              {},
              warnings.map((w) => h('li', {}, w)),
            ),
          )
        : null,
    ),
  );
}

function timeNow() {
  return new Date().toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}
