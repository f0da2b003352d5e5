import type { FlowDefinition } from '../flow/flow-schema.ts';

/** The furthest escalation-ladder layer among those visited, with its position on the ladder. */
export function layerReached(
  definition: FlowDefinition,
  visited: ReadonlySet<string>,
): { id: string; title: string; index: number; count: number } | null {
  const layers = definition.ladder.layers;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer && visited.has(layer.id))
      return { id: layer.id, title: layer.title, index: i + 1, count: layers.length };
  }
  return null;
}
