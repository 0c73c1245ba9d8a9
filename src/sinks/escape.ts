/** @module sinks/escape: make event data safe for terminals and line-oriented logs. */

// C0 controls, DEL, C1 controls, and Unicode line/bidi controls that can forge or reorder output.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function replace(c: string): string {
	const named = NAMED[c];
	if (named) return named;
	const code = c.charCodeAt(0);
	return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escape control characters and newlines so one event stays one line and cannot drive the terminal. */
export function escapeText(s: string): string {
	UNSAFE.lastIndex = 0;
	return UNSAFE.test(s) ? s.replace(UNSAFE, replace) : s;
}

/** One argument for an ARGS column: escaped, and quoted when -q asks or it is empty/has spaces. */
export function formatArg(s: string, quote: boolean): string {
	const e = escapeText(s);
	if (!quote) return e;
	return `"${e.replace(/"/g, '\\"')}"`;
}
