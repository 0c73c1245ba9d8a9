/** @module rules/ast: condition syntax tree; every node carries its {line, col}. */
import type { Pos } from './errors.js';

/** Binary comparison operators. */
export const CMP_OPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'regex'] as const;
/** Operators taking a list. */
export const LIST_OPS = ['in', 'intersects', 'pmatch'] as const;
export type CmpOp = (typeof CMP_OPS)[number];
export type ListOp = (typeof LIST_OPS)[number];

export interface FieldRef {
	name: string;
	/** The [N] or [name] argument, e.g. proc.aname[2]. */
	arg?: string;
	pos: Pos;
}

export interface ValueNode {
	text: string;
	/** Was it quoted (never a list or macro name). */
	quoted: boolean;
	pos: Pos;
}

export type Node =
	| { type: 'and' | 'or'; children: Node[]; pos: Pos }
	| { type: 'not'; child: Node; pos: Pos }
	| { type: 'exists'; field: FieldRef; pos: Pos }
	| { type: 'cmp'; field: FieldRef; op: CmpOp; value: ValueNode; pos: Pos }
	| { type: 'list'; field: FieldRef; op: ListOp; values: ValueNode[]; pos: Pos }
	| { type: 'macro'; name: string; pos: Pos };
