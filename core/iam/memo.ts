/**
 * A bounded memo for pure functions of one string: the analysis asks the same questions of the
 * same patterns and ARNs for every statement of every document. Cleared whole when full.
 */
export function memoised<V>(compute: (key: string) => V, limit = 10_000): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const hit = cache.get(key);
    // One lookup when the value is cached and defined (the common case); `has` only for undefined.
    if (hit !== undefined || cache.has(key)) return hit as V;
    const value = compute(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
