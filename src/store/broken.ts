/** @module store/broken: what `store verify` finds broken: the kind of tampering, where, and why. */

/** The kinds of tampering verify tells apart, each with the words the CLI prints. */
export const TAMPER_KINDS = {
	edited: 'edited record',
	reordered: 'records reordered or reinserted',
	'removed-middle': 'records removed from the middle',
	'removed-first': 'oldest records removed without retention',
	'removed-last': 'newest records removed',
	rechained: 're-chained without the key',
	'forged-anchor': 'forged retention anchor',
	head: 'head file missing, forged or stale',
	'wrong-key': 'key does not match the store',
	unkeyed: 'store not keyed',
} as const;

export type TamperKind = keyof typeof TAMPER_KINDS;

/** The first problem found: its kind, which table (head: the side file) and id, and why. */
export interface Broken {
	kind: TamperKind;
	table: 'records' | 'anchors' | 'meta' | 'head';
	id: number | null;
	reason: string;
}
