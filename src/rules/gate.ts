/** @module rules/gate: which raw records are worth decoding: those the process table applies and those of an evt.type some enabled rule evaluates. */
import { recordKind } from '../events/wire.js';
import { KIND_BY_CODE } from '../events/table.js';
import type { RuleSet } from './ruleset.js';

/** evt.type values the process table applies (fork, exec, exit): always decoded. */
export const TABLE_TYPES: readonly string[] = ['clone', 'execve', 'procexit'];

/** Decides from the raw record, before any object is built; rebuilt when the rule set changes. */
export class RecordGate {
	private readonly types: Set<string> | 'any';

	constructor(rules: RuleSet) {
		const t = rules.neededTypes();
		this.types = t === 'any' ? 'any' : new Set([...t, ...TABLE_TYPES]);
	}

	/** True when the record at off must be decoded and evaluated. */
	accepts(buf: Buffer, off: number): boolean {
		if (this.types === 'any') return true;
		const row = KIND_BY_CODE.get(recordKind(buf, off));
		if (!row) return true; // unknown kinds go on to be counted by the decoder
		return this.types.has(row.peek(buf, off));
	}
}
