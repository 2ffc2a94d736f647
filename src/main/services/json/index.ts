/**
 * JSON text as a value, or undefined when it is not JSON: a file that does not parse then fails its
 * schema like any other wrong value, and says so in the caller's words.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
