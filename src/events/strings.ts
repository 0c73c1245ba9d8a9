/** @module events/strings: kernel bytes to JS strings without losing non-UTF-8 bytes. */

const STRICT = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode bytes as UTF-8; bytes that are not valid UTF-8 become the escape "\\xNN" so
 * nothing is silently replaced. Returns the string.
 */
export function decodeBytes(buf: Buffer, start: number, end: number): string {
	// Fast path: pure ASCII is the common case.
	let ascii = true;
	for (let i = start; i < end; i++) {
		if (buf[i] >= 0x80) {
			ascii = false;
			break;
		}
	}
	if (ascii) return buf.toString('latin1', start, end);
	try {
		return STRICT.decode(buf.subarray(start, end));
	} catch {
		return decodeLossless(buf, start, end);
	}
}

function decodeLossless(buf: Buffer, start: number, end: number): string {
	let out = '';
	let i = start;
	while (i < end) {
		const n = utf8SeqLen(buf, i, end);
		if (n > 0) {
			out += buf.toString('utf8', i, i + n);
			i += n;
		} else {
			out += '\\x' + buf[i].toString(16).padStart(2, '0');
			i++;
		}
	}
	return out;
}

/** Length of a valid UTF-8 sequence at i, or 0. */
function utf8SeqLen(b: Buffer, i: number, end: number): number {
	const c = b[i];
	if (c < 0x80) return 1;
	const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (n === 0 || i + n > end) return 0;
	for (let k = 1; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
	try {
		STRICT.decode(b.subarray(i, i + n));
		return n;
	} catch {
		return 0;
	}
}

/** A NUL-terminated fixed-size C string (comm). */
export function decodeCString(buf: Buffer, start: number, max: number): string {
	let end = start;
	const lim = start + max;
	while (end < lim && buf[end] !== 0) end++;
	return decodeBytes(buf, start, end);
}
