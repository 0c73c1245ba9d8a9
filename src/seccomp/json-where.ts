/** @module seccomp/json-where: the offset of the first syntax error in JSON text (V8's messages do not always say). */

const WS = new Set([' ', '\t', '\n', '\r']);

/** Offset where `text` stops being valid JSON, or -1 when it is valid. Iterative-free recursive descent; depth-limited. */
export function jsonErrorOffset(text: string): number {
	let i = 0;
	const ws = () => {
		while (i < text.length && WS.has(text[i])) i++;
	};
	const fail = (): never => {
		throw i;
	};
	const lit = (w: string) => (text.startsWith(w, i) ? (i += w.length) : fail());
	const str = () => {
		i++;
		while (i < text.length && text[i] !== '"') {
			if (text.charCodeAt(i) < 0x20) fail();
			if (text[i] === '\\') {
				i++;
				if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 4;
				else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
			}
			i++;
		}
		if (i >= text.length) fail();
		i++;
	};
	const num = () => {
		const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (!m) fail();
		i += (m as RegExpExecArray)[0].length;
	};
	const value = (depth: number): void => {
		if (depth > 512) fail();
		ws();
		const c = text[i];
		if (c === '{' || c === '[') {
			const close = c === '{' ? '}' : ']';
			i++;
			ws();
			if (text[i] === close) return void i++;
			for (;;) {
				if (c === '{') {
					ws();
					if (text[i] !== '"') fail();
					str();
					ws();
					lit(':');
				}
				value(depth + 1);
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === close) return void i++;
				else fail();
			}
		}
		if (c === '"') return str();
		if (c === 't') return void lit('true');
		if (c === 'f') return void lit('false');
		if (c === 'n') return void lit('null');
		num();
	};
	try {
		value(0);
		ws();
		return i < text.length ? i : -1;
	} catch (at) {
		return typeof at === 'number' ? at : i;
	}
}
