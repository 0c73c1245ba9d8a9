/** @module test/helpers/harness: run a BPF_PROG_TEST_RUN harness (bpf/tests/<name>.test.bpf.c) on one in/out record laid out from its BTF. */
import { execFileSync } from 'node:child_process';
import { addon, type NativeBpfObject } from '../../src/bridge/addon.js';
import { bpfObjectPath } from '../../src/util/paths.js';

/** Byte offsets of a struct's members, and its size, read from an object's BTF. */
export type Layout = Record<string, number> & { SIZE: number };

interface BtfType {
	kind: string;
	name?: string;
	size?: number;
	members?: { name: string; bits_offset: number }[];
}

/** The layout of struct name in the BTF of a compiled object (bpftool), so no offset is typed by hand. */
export function btfLayout(objPath: string, name: string): Layout {
	const btf = JSON.parse(execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', objPath], { encoding: 'utf8' })) as { types: BtfType[] };
	const t = btf.types.find((x) => x.kind === 'STRUCT' && x.name === name);
	if (!t?.members || t.size === undefined) throw new Error(`btf: no struct ${name} in ${objPath}`);
	const out: Record<string, number> = { SIZE: t.size };
	for (const m of t.members) out[m.name] = m.bits_offset / 8;
	return out as Layout;
}

/** Object name of a harness under build/bpf/ (for requireBpf). */
export const harnessObject = (name: string): string => `tests/${name}.test`;

/**
 * A loaded harness: its program reads one record from the one-slot array bg_t_io, and writes
 * its outputs back there (bpf/tests/harness.h).
 */
export class Harness {
	readonly obj: NativeBpfObject;
	readonly layout: Layout;

	constructor(name: string, readonly prog: string, struct: string) {
		const path = bpfObjectPath(harnessObject(name));
		this.layout = btfLayout(path, struct);
		this.obj = new (addon().BpfObject)(path);
		try {
			this.obj.load();
		} catch (e) {
			this.obj.close();
			throw e;
		}
	}

	/** Fill a zeroed record, run the program once; returns its return value and the record after the run. */
	run(fill: (rec: Buffer, l: Layout) => void): { retval: number; rec: Buffer } {
		const key = Buffer.alloc(4);
		const rec = Buffer.alloc(this.layout.SIZE);
		fill(rec, this.layout);
		this.obj.mapUpdate('bg_t_io', key, rec);
		const r = this.obj.progTestRun(this.prog);
		const out = this.obj.mapLookup('bg_t_io', key);
		if (!out) throw new Error('harness: bg_t_io slot missing');
		return { retval: r.retval, rec: out };
	}

	close(): void {
		this.obj.close();
	}
}

/** A harness loaded on first use (after requireBpf let a test run) and closed by close(). */
export function lazyHarness(name: string, prog: string, struct: string): { get(): Harness; close(): void } {
	let h: Harness | undefined;
	return {
		get: () => (h ??= new Harness(name, prog, struct)),
		close: () => h?.close(),
	};
}
