export function sameShape(actual: readonly number[] | null | undefined, expected: readonly number[]): boolean {
  return actual?.length === expected.length && actual.every((size, i) => size === expected[i]);
}
