/**
 * Sets `key` as the most recent entry of `map` (a Map iterates in insertion order) and drops the
 * oldest entries beyond `maxEntries`: the bookkeeping of the small in-memory LRU caches.
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, maxEntries: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= maxEntries) break;
    map.delete(oldest);
  }
}
