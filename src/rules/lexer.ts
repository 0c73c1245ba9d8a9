/** @module rules/lexer: condition text to tokens with positions. */
import { ConditionError, type Pos } from './errors.js';

export type TokenType = 'lparen' | 'rparen' | 'comma' | 'op' | 'string' | 'word' | 'eof';

export interface Token {
	type: TokenType;
	text: string;
	pos: Pos;
}

const OPS = ['==', '!=', '<=', '>=', '=', '<', '>'];
// A bare word ends at whitespace, parentheses, a comma, a quote or an operator character.
const WORD_END = /[\s(),"'=<>!]/;

/** Split a condition into tokens; base is the position of its first character in the file. */
export function tokenize(src: string, base: Pos = { line: 1, col: 1 }): Token[] {
	const out: Token[] = [];
	let i = 0;
	let line = base.line;
	let col = base.col;
	const advance = (n: number) => {
		for (let k = 0; k < n; k++) {
			if (src[i] === '\n') {
				line++;
				col = 1;
			} else col++;
			i++;
		}
	};
	while (i < src.length) {
		const c = src[i];
		const pos: Pos = base.file ? { line, col, file: base.file } : { line, col };
		if (/\s/.test(c)) {
			advance(1);
			continue;
		}
		if (c === '(' || c === ')' || c === ',') {
			out.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos });
			advance(1);
			continue;
		}
		const op = OPS.find((o) => src.startsWith(o, i));
		if (op) {
			out.push({ type: 'op', text: op, pos });
			advance(op.length);
			continue;
		}
		if (c === '"' || c === "'") {
			const { text, len } = readQuoted(src, i, pos);
			out.push({ type: 'string', text, pos });
			advance(len);
			continue;
		}
		if (c === '!') throw new ConditionError("unexpected '!': use != or not", pos);
		let j = i;
		while (j < src.length && !WORD_END.test(src[j])) j++;
		// A field argument may contain anything but ']' (proc.aname[2], evt.arg[flags]).
		if (src[j - 1] !== undefined && src.slice(i, j).includes('[') && !src.slice(i, j).includes(']')) {
			const close = src.indexOf(']', j);
			if (close > 0) j = close + 1;
		}
		out.push({ type: 'word', text: src.slice(i, j), pos });
		advance(j - i);
	}
	out.push({ type: 'eof', text: '', pos: base.file ? { line, col, file: base.file } : { line, col } });
	return out;
}

function readQuoted(src: string, start: number, pos: Pos): { text: string; len: number } {
	const q = src[start];
	let text = '';
	let i = start + 1;
	while (i < src.length && src[i] !== q) {
		if (src[i] === '\\' && i + 1 < src.length) {
			const n = src[i + 1];
			text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
			i += 2;
		} else text += src[i++];
	}
	if (i >= src.length) throw new ConditionError(`unterminated string: missing closing ${q}`, pos);
	return { text, len: i - start + 1 };
}
