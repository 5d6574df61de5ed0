// The checks every source file passes before extraction: size, binary content, UTF-8.
export type Decoded = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'binary' | 'not-utf8'; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Raw bytes (a file, a zip entry). A NUL byte means binary (also catches UTF-16). */
export function decodeSource(bytes: Uint8Array, maxBytes: number): Decoded {
  if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes);
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: 'binary', detail: `NUL byte at offset ${nul}` };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'not-utf8', detail: `invalid UTF-8 near byte ${firstInvalidUtf8(bytes)}` };
  }
}

/** Text from a dataset field (already decoded by the reader). */
export function checkText(text: string, maxBytes: number): Decoded {
  // UTF-8 never takes more than 3 bytes per UTF-16 unit, so most texts skip the exact count.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return tooLarge(bytes, maxBytes);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ok: false, reason: 'binary', detail: `NUL character at offset ${nul}` };
  if (LONE_SURROGATE.test(text)) return { ok: false, reason: 'not-utf8', detail: 'lone surrogate: not encodable as UTF-8' };
  if (text.includes('\uFFFD')) return { ok: false, reason: 'not-utf8', detail: 'replacement character: the text was decoded from invalid UTF-8' };
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function tooLarge(bytes: number, maxBytes: number): Decoded {
  return { ok: false, reason: 'too-large', detail: `${bytes} bytes (limit ${maxBytes})` };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection (a cut may split a character, hence the `stream` mode).
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}
