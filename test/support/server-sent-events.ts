/**
 * Reads a Server-Sent Events response body and hands over each event block (the lines between blank
 * lines) with its joined `data:` payload: the parsing part of an EventSource, which Node 20 lacks.
 */
export async function readEventStream(response: Response, onBlock: (block: string, data: string) => void): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      onBlock(block, block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'));
    }
  }
}
