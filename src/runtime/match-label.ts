/**
 * Finds what a person meant among labelled items: the exact id, then the exact label (any case),
 * then a unique label prefix, then a unique substring. Returns the candidates when it is ambiguous.
 */
export function matchLabel<T>(
  items: readonly T[],
  text: string,
  describe: (item: T) => { id: string; label: string },
): { match: T } | { ambiguous: T[] } | { none: true } {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return { none: true };
  const byId = items.find((item) => describe(item).id.toLowerCase() === wanted);
  if (byId !== undefined) return { match: byId };
  const label = (item: T) => describe(item).label.toLowerCase();
  for (const test of [
    (l: string) => l === wanted,
    (l: string) => l.startsWith(wanted),
    (l: string) => l.includes(wanted),
  ]) {
    const found = items.filter((item) => test(label(item)));
    if (found.length === 1) return { match: found[0] as T };
    if (found.length > 1) return { ambiguous: found };
  }
  return { none: true };
}
