/** @module rules/yaml-pos: positions of YAML nodes, and condition text placed where it is in the file. */
import { isScalar, Scalar, type LineCounter, type Node as YNode } from 'yaml';
import type { Pos } from './errors.js';

/** {line, col, file} of a node's start. */
export function nodePos(n: YNode | null | undefined, lc: LineCounter, file: string): Pos {
	const off = n?.range?.[0] ?? 0;
	const { line, col } = lc.linePos(off);
	return { line, col, file };
}

/**
 * The text of a scalar for tokenizing with real positions: for plain and block scalars the raw
 * source (folding only changes whitespace, which conditions ignore), for quoted ones the value.
 */
export function placedText(n: YNode, src: string, lc: LineCounter, file: string): { text: string; pos: Pos } {
	if (!isScalar(n) || !n.range) return { text: String((n as Scalar).value ?? ''), pos: nodePos(n, lc, file) };
	const [start, end] = n.range;
	if (n.type === Scalar.BLOCK_FOLDED || n.type === Scalar.BLOCK_LITERAL) {
		const nl = src.indexOf('\n', start);
		const from = nl < 0 || nl >= end ? end : nl + 1;
		const { line, col } = lc.linePos(from);
		return { text: src.slice(from, end), pos: { line, col, file } };
	}
	if (n.type === Scalar.PLAIN) {
		const { line, col } = lc.linePos(start);
		return { text: src.slice(start, end), pos: { line, col, file } };
	}
	const { line, col } = lc.linePos(start + 1);
	return { text: String(n.value), pos: { line, col, file } };
}
