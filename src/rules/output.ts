/** @module rules/output: output templates with %field substitution, compiled once. */
import { ConditionError, UnknownFieldError, type Pos } from './errors.js';
import { resolveField } from './compile.js';
import type { EvalCtx } from './context.js';
import type { FieldValue } from '../alerts/alert.js';

/** A compiled template: render(ctx) → text; fields lists what it reads. */
export interface Template {
	render(c: EvalCtx): string;
	/** The same text from field values already taken (keyed by reference as in fields; an alert's fields completed later). */
	renderValues(values: Readonly<Record<string, FieldValue>>): string;
	fields: string[];
}

// %proc.name, %proc.aname[2], %evt.arg.flags, %(proc.name)
const FIELD_RE = /%\(([a-zA-Z_][\w.]*(?:\[[^\]]*\])?)\)|%([a-zA-Z_][\w.]*[\w](?:\[[^\]]*\])?)/g;

/** Render a value for text output; absent values are <NA>. */
export function valueText(v: FieldValue | undefined): string {
	if (v === undefined || v === null) return '<NA>';
	if (Array.isArray(v)) return v.join(' ');
	return String(v);
}

// A value that holds " key=value" (or a quote, or a backslash) could pass for another field of the output.
const AMBIGUOUS = /\s[^\s=]*=|["\\]/;

/**
 * A substituted value as it goes into an output line: quoted (with " and \ escaped) when it could
 * be read as more than one field ("/tmp/x user=root" cannot forge user=root). JSON keeps values exact.
 */
export function outputText(v: FieldValue | undefined): string {
	const t = valueText(v);
	return AMBIGUOUS.test(t) ? `"${t.replace(/["\\]/g, '\\$&')}"` : t;
}

/** Compile a template; unknown fields are positioned errors (pos = the template's position in the file). */
export function compileTemplate(tpl: string, pos: Pos = { line: 1, col: 1 }): Template {
	const parts: (string | ((c: EvalCtx) => string))[] = [];
	const refs: string[] = [];
	const fields: string[] = [];
	let last = 0;
	for (const m of tpl.matchAll(FIELD_RE)) {
		const full = m[1] ?? m[2];
		const at = m.index ?? 0;
		parts.push(tpl.slice(last, at));
		const fm = /^([\w.]+?)(?:\[([^\]]*)\])?$/.exec(full);
		if (!fm) throw new ConditionError(`malformed field '%${full}' in output`, pos);
		let r;
		try {
			r = resolveField({ name: fm[1], arg: fm[2], pos });
		} catch (e) {
			const at2 = { line: pos.line, col: pos.col + at, file: pos.file };
			if (e instanceof UnknownFieldError) throw new UnknownFieldError(e.field, `output: ${e.message}`, at2);
			throw new ConditionError(`output: ${(e as Error).message}`, at2);
		}
		const extract = r.extract;
		parts.push((c) => outputText(extract(c)));
		refs[parts.length - 1] = full;
		fields.push(full);
		last = at + m[0].length;
	}
	parts.push(tpl.slice(last));
	const fixed = parts.filter((p) => typeof p === 'string' && p !== '') as string[];
	if (fixed.length === parts.length) {
		const text = fixed.join('');
		return { render: () => text, renderValues: () => text, fields };
	}
	return {
		renderValues: (v) => {
			let s = '';
			for (let i = 0; i < parts.length; i++) {
				const p = parts[i];
				s += typeof p === 'string' ? p : outputText(v[refs[i]] ?? undefined);
			}
			return s;
		},
		render: (c) => {
			let s = '';
			for (const p of parts) s += typeof p === 'string' ? p : p(c);
			return s;
		},
		fields,
	};
}
