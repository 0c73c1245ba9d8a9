/**
 * @module rules/parser: Falco-style condition text to an AST with positions.
 *
 * Grammar (EBNF):
 *   condition  = or_expr EOF ;
 *   or_expr    = and_expr { "or" and_expr } ;
 *   and_expr   = not_expr { "and" not_expr } ;
 *   not_expr   = "not" not_expr | primary ;
 *   primary    = "(" or_expr ")" | check | macro_name ;
 *   check      = field ( "exists"
 *                      | cmp_op value
 *                      | list_op ( "(" [ value { "," value } ] ")" | list_name ) ) ;
 *   field      = word containing "." [ "[" arg "]" ] ;          (proc.name, proc.aname[2])
 *   cmp_op     = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "icontains"
 *              | "bcontains" | "startswith" | "bstartswith" | "endswith" | "glob" | "regex" ;
 *   list_op    = "in" | "intersects" | "pmatch" ;
 *   value      = word | quoted_string | "<" | ">" ;                (the last two: Falco's evt.dir)
 *   macro_name = word without "." ;
 * Keywords are case-sensitive, as in Falco. Falco's evt.dir = < / > become constants (rules/falco).
 */
import { CMP_OPS, LIST_OPS, type CmpOp, type FieldRef, type ListOp, type Node, type ValueNode } from './ast.js';
import { ConditionError, type Pos } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { resolveEvtDir } from './falco.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'exists', ...CMP_OPS, ...LIST_OPS]);
const MAX_DEPTH = 200;

/** Parse a condition; throws ConditionError with the position of the problem. */
export function parseCondition(src: string, base?: Pos): Node {
	return resolveEvtDir(new Parser(tokenize(src, base)).parse());
}

/** Parse condition pieces (an appended condition spans items and files) as one condition. */
export function parsePieces(pieces: { text: string; pos: Pos }[]): Node {
	const toks: Token[] = [];
	for (const p of pieces) toks.push(...tokenize(p.text, p.pos).filter((t) => t.type !== 'eof'));
	const last = pieces[pieces.length - 1];
	toks.push({ type: 'eof', text: '', pos: last ? tokenize(last.text, last.pos).pop()!.pos : { line: 1, col: 1 } });
	return resolveEvtDir(new Parser(toks).parse());
}

class Parser {
	private i = 0;
	private depth = 0;
	constructor(private readonly toks: Token[]) {}

	parse(): Node {
		if (this.peek().type === 'eof') throw new ConditionError('empty condition', this.peek().pos);
		const n = this.orExpr();
		const t = this.peek();
		if (t.type !== 'eof') throw new ConditionError(`unexpected '${t.text}': expected 'and', 'or' or the end`, t.pos);
		return n;
	}

	private peek(): Token {
		return this.toks[this.i];
	}

	private next(): Token {
		return this.toks[this.i++];
	}

	private isWord(t: Token, w: string): boolean {
		return t.type === 'word' && t.text === w;
	}

	private orExpr(): Node {
		const first = this.andExpr();
		const children = [first];
		while (this.isWord(this.peek(), 'or')) {
			this.next();
			children.push(this.andExpr());
		}
		return children.length === 1 ? first : { type: 'or', children, pos: first.pos };
	}

	private andExpr(): Node {
		const first = this.notExpr();
		const children = [first];
		while (this.isWord(this.peek(), 'and')) {
			this.next();
			children.push(this.notExpr());
		}
		return children.length === 1 ? first : { type: 'and', children, pos: first.pos };
	}

	private notExpr(): Node {
		const t = this.peek();
		if (this.isWord(t, 'not')) {
			this.next();
			return { type: 'not', child: this.nested(() => this.notExpr()), pos: t.pos };
		}
		return this.primary();
	}

	private nested(f: () => Node): Node {
		if (++this.depth > MAX_DEPTH) throw new ConditionError(`condition nested deeper than ${MAX_DEPTH}`, this.peek().pos);
		try {
			return f();
		} finally {
			this.depth--;
		}
	}

	private primary(): Node {
		const t = this.next();
		if (t.type === 'lparen') {
			const n = this.nested(() => this.orExpr());
			const c = this.next();
			if (c.type !== 'rparen') throw new ConditionError(`expected ')' to close '(' at ${t.pos.line}:${t.pos.col}, found ${describe(c)}`, c.pos);
			return n;
		}
		if (t.type !== 'word' || KEYWORDS.has(t.text)) throw new ConditionError(`expected a field, a macro or '(', found ${describe(t)}`, t.pos);
		if (!t.text.includes('.')) return { type: 'macro', name: t.text, pos: t.pos };
		return this.check(parseField(t));
	}

	private check(field: FieldRef): Node {
		const t = this.next();
		const opText = t.type === 'op' || t.type === 'word' ? t.text : '';
		if (opText === 'exists') return { type: 'exists', field, pos: field.pos };
		if ((CMP_OPS as readonly string[]).includes(opText)) {
			const op = (opText === '==' ? '=' : opText) as CmpOp;
			return { type: 'cmp', field, op, value: this.value(), pos: field.pos };
		}
		if ((LIST_OPS as readonly string[]).includes(opText)) {
			return { type: 'list', field, op: opText as ListOp, values: this.list(), pos: field.pos };
		}
		throw new ConditionError(`expected an operator after ${field.name}, found ${describe(t)}`, t.pos);
	}

	private value(): ValueNode {
		const t = this.next();
		if (t.type === 'string') return { text: t.text, quoted: true, pos: t.pos };
		if (t.type === 'word' && !['and', 'or', 'not'].includes(t.text)) return { text: t.text, quoted: false, pos: t.pos };
		// Falco's evt.dir values: evt.dir = < (exit), evt.dir = > (enter).
		if (t.type === 'op' && (t.text === '<' || t.text === '>')) return { text: t.text, quoted: false, pos: t.pos };
		throw new ConditionError(`expected a value, found ${describe(t)}`, t.pos);
	}

	private list(): ValueNode[] {
		const t = this.peek();
		if (t.type === 'word' && !KEYWORDS.has(t.text)) {
			this.next();
			return [{ text: t.text, quoted: false, pos: t.pos }]; // a named list, expanded by the compiler
		}
		if (t.type !== 'lparen') throw new ConditionError(`expected '(' or a list name, found ${describe(t)}`, t.pos);
		this.next();
		const out: ValueNode[] = [];
		if (this.peek().type === 'rparen') {
			this.next();
			return out;
		}
		for (;;) {
			out.push(this.value());
			const s = this.next();
			if (s.type === 'rparen') return out;
			if (s.type !== 'comma') throw new ConditionError(`expected ',' or ')' in list, found ${describe(s)}`, s.pos);
		}
	}
}

function describe(t: Token): string {
	return t.type === 'eof' ? 'the end of the condition' : `'${t.text}'`;
}

function parseField(t: Token): FieldRef {
	const m = /^([a-zA-Z_][\w.]*?)(?:\[([^\]]*)\])?$/.exec(t.text);
	if (!m) throw new ConditionError(`malformed field '${t.text}'`, t.pos);
	return { name: m[1], arg: m[2], pos: t.pos };
}
