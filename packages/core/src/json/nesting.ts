/**
 * How deeply arrays and objects nest in a parsed JSON or YAML value, counted with an explicit stack (no recursion), so
 * that validators can refuse absurdly nested input before recursive schemas (zod's `z.lazy`) and tree walkers overflow
 * the call stack on it. Counting stops once `limit` is exceeded: the result is then `limit + 1`.
 *
 * Written here because it is a dozen lines over plain values; the JSON parsers in use do not bound depth themselves.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return limit + 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}
