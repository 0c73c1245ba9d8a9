/** @module rules/fields/registry: every rule field, declared once (type, description, extractor). */
import type { FieldValue } from '../../alerts/alert.js';
import type { EvalCtx } from '../context.js';

export type FieldType = 'string' | 'number' | 'bool' | 'strings';

/** One field of the rule language. */
export interface FieldDef {
	/** Dotted name (proc.name); a prefix field ends with '.' (evt.arg.) and takes the rest as its argument. */
	name: string;
	type: FieldType;
	desc: string;
	/** Whether it takes [arg]: required, optional or none. */
	arg?: 'required' | 'optional';
	/** Value for this event, or undefined when the event has no such field. */
	extract(c: EvalCtx, arg?: string): FieldValue | undefined;
	/** The sensor whose events carry this field (rules using it load that sensor). */
	sensor?: string;
	/** A bracket field whose arguments are fields of their own: with members 'evt.arg.', evt.arg[flags] is the field evt.arg.flags. */
	members?: string;
}

const FIELDS = new Map<string, FieldDef>();
const PREFIXES: FieldDef[] = [];

/** Register fields (each module under fields/ calls this once). */
export function defineFields(defs: FieldDef[]): void {
	for (const d of defs) {
		if (FIELDS.has(d.name)) throw new Error(`field ${d.name} defined twice`);
		FIELDS.set(d.name, d);
		if (d.name.endsWith('.')) PREFIXES.push(d);
	}
}

/** The field and its argument for a name like proc.aname or evt.arg.flags. */
export function lookupField(name: string, arg?: string): { def: FieldDef; arg?: string } | undefined {
	const d = FIELDS.get(name);
	if (d) {
		const m = d.members !== undefined && arg !== undefined ? FIELDS.get(d.members + arg) : undefined;
		return m ? { def: m } : { def: d, arg };
	}
	const p = PREFIXES.find((x) => name.startsWith(x.name) && name.length > x.name.length);
	return p ? { def: p, arg: name.slice(p.name.length) } : undefined;
}

/** Every field, sorted by name. */
export function allFields(): FieldDef[] {
	return [...FIELDS.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// "proc.name" or "proc.aname[2]", as conditions, outputs and alert field lists write a field.
const FIELD_REF = /^([\w.]+?)(?:\[([^\]]*)\])?$/;

/** The field of a reference like proc.aname[2] (name and optional [arg]), or undefined. */
export function lookupFieldRef(ref: string): { def: FieldDef; arg?: string } | undefined {
	const m = FIELD_REF.exec(ref);
	return m ? lookupField(m[1], m[2]) : undefined;
}

/** Values of field references for the context's event (null where absent), keyed by reference. */
export function fieldValues(refs: Iterable<string>, c: EvalCtx, out: Record<string, FieldValue> = {}): Record<string, FieldValue> {
	for (const ref of refs) {
		const hit = lookupFieldRef(ref);
		const v = hit ? hit.def.extract(c, hit.arg) : undefined;
		out[ref] = v === undefined ? null : v;
	}
	return out;
}
