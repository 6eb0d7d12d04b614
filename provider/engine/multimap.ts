/**
 * Appends `value` to the list under `key`, creating the list on first use. In place: building
 * lists this way stays linear in their total length (a copy per append would be quadratic).
 */
export function pushTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
