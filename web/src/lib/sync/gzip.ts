// gzip through the platform's CompressionStream (browsers and Node 18+), so no library ships for it.
// The input goes in in steps of STEP_BYTES with a turn for the UI thread between them: piping a whole Blob
// through the stream compresses it in one task (Chromium: about 1 s for a 15 MB database, a long task the
// user feels), while written in steps each task stays a few milliseconds even under 4× CPU throttling.
import { yieldToUi } from '../db/yield';

/** Input bytes per step: about 4 ms of deflate on a laptop, so well under 50 ms on a slow phone. */
export const STEP_BYTES = 64 * 1024;

export class TooLargeError extends Error {
  override name = 'TooLargeError';
}

/** Writes `bytes` into `stream` in steps and collects what it puts out (at most `maxBytes`, else TooLargeError). */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, maxBytes = Infinity): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TooLargeError(`more than ${maxBytes} bytes once unpacked`);
      }
      chunks.push(value);
    }
    return concat(chunks, total);
  })();
  // The reader's failure (bad gzip, too large) is the one reported; the writer then fails too.
  collected.catch(() => undefined);
  try {
    for (let at = 0; at < bytes.length; at += STEP_BYTES) {
      if (at > 0) await yieldToUi();
      await writer.write(bytes.subarray(at, at + STEP_BYTES) as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  } catch (error) {
    writer.abort(error).catch(() => undefined);
    await collected; // throws the reader's own error when it has one
    throw error;
  }
  return collected;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const gzip = (bytes: Uint8Array) => pipe(bytes, new CompressionStream('gzip'));
export const gunzip = (bytes: Uint8Array) => pipe(bytes, new DecompressionStream('gzip'));

/** gunzip that stops (TooLargeError) once the output passes `maxBytes`: a small object cannot inflate to gigabytes. */
export const gunzipBounded = (bytes: Uint8Array, maxBytes: number) => pipe(bytes, new DecompressionStream('gzip'), maxBytes);
