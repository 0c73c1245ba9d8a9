#!/usr/bin/env node
/** @module gen-layouts: writes src/events/generated/layouts.ts from the BTF of build/bpf/schema.bpf.o. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const check = args[0] === '--check';
if (check) args.shift();
const [obj, out] = args;
if (!obj || !out) {
	process.stderr.write('usage: gen-layouts.mjs [--check] SCHEMA.bpf.o OUT.ts\n');
	process.exit(2);
}

const btf = JSON.parse(execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', obj], { encoding: 'utf8' }));
const byId = new Map(btf.types.map((t) => [t.id, t]));

/** Resolve typedefs/modifiers and describe a member type as {type, size}. */
function describe(id) {
	let t = byId.get(id);
	while (t && ['TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT'].includes(t.kind)) t = byId.get(t.type_id);
	if (!t) throw new Error(`type ${id} not found`);
	if (t.kind === 'INT') return { type: `${t.encoding === 'SIGNED' ? 's' : 'u'}${t.size * 8}`, size: t.size };
	if (t.kind === 'ENUM') return { type: `u${t.size * 8}`, size: t.size };
	if (t.kind === 'ARRAY') {
		const el = describe(t.type_id);
		return { type: `${el.type}[${t.nr_elems}]`, size: el.size * t.nr_elems };
	}
	if (t.kind === 'STRUCT') return { type: `struct ${t.name}`, size: t.size };
	throw new Error(`unsupported BTF kind ${t.kind}`);
}

const lines = [
	'/** @module events/generated/layouts: record layouts and enums from bpf/include (BTF). DO NOT EDIT: make gen. */',
	'',
];
const structs = btf.types.filter((t) => t.kind === 'STRUCT' && t.name?.startsWith('bg_')).sort((a, b) => a.name.localeCompare(b.name));
for (const s of structs) {
	const name = s.name.toUpperCase();
	lines.push(`/** struct ${s.name}: byte offsets of its members. */`);
	lines.push(`export const ${name} = {`);
	lines.push(`\tSIZE: ${s.size},`);
	for (const m of s.members) {
		if (m.bits_offset % 8) throw new Error(`${s.name}.${m.name}: bit field`);
		const d = describe(m.type_id);
		lines.push(`\t${m.name}: ${m.bits_offset / 8}, // ${d.type}, ${d.size} bytes`);
	}
	lines.push('} as const;', '');
}
const enums = btf.types.filter((t) => t.kind === 'ENUM' && t.name?.startsWith('bg_')).sort((a, b) => a.name.localeCompare(b.name));
for (const e of enums) {
	const name = e.name.replace(/(^|_)(\w)/g, (_, __, c) => c.toUpperCase());
	lines.push(`/** enum ${e.name}. */`);
	lines.push(`export const ${name} = {`);
	for (const v of e.values) lines.push(`\t${v.name}: ${v.val},`);
	lines.push('} as const;', '');
}
const text = lines.join('\n');
if (check) {
	let cur = '';
	try {
		cur = readFileSync(out, 'utf8');
	} catch {}
	if (cur !== text) {
		process.stderr.write(`${out} is stale: bpf/include changed; run make gen and commit the result\n`);
		process.exit(1);
	}
} else {
	writeFileSync(out, text);
}
