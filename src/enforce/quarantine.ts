/**
 * @module enforce/quarantine: `action: quarantine`. The offending process and its descendants move
 * into a cgroup of their own under <cgroup v2 root>/bpfguard-quarantine; the deny hook fails every
 * connect and send from it, and drops what its existing sockets send (cgroup_skb egress), while the
 * monitor runs. A state file (0600) per quarantine lets `bpfguard release ID` move the processes
 * back to the cgroups they came from, with or without a running monitor.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2PathOf, findCgroup2, listPids, ppidOf } from '../process/procfs.js';
import { readStates, writeState } from './state.js';

export const QUARANTINE_CGROUP = 'bpfguard-quarantine';
export const DEFAULT_QUARANTINE_STATE = '/var/lib/bpfguard/quarantine';
/** A quarantine's id: q, the time in base 36, the pid. */
const QUARANTINE_ID = /^q[0-9a-z]+-\d+$/;

/** What a quarantine holds (its state file). */
export interface QuarantineState {
	id: string;
	rule: string;
	time: string;
	cgroup: string;
	/** pid → the cgroup v2 path it came from ("/system.slice/x.service"). */
	from: Record<string, string>;
}

/** The quarantine cgroups' parent, made when missing; undefined without cgroup v2. */
export function quarantineParent(): string | undefined {
	const root = findCgroup2();
	if (!root) return undefined;
	const dir = join(root, QUARANTINE_CGROUP);
	if (!existsSync(dir)) mkdirSync(dir);
	return dir;
}

/** pid and every live descendant (from /proc, parents first). */
export function processTree(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const p of listPids('/proc')) {
		const ppid = ppidOf(p);
		if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), p]);
	}
	const out = [pid];
	for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
	return out;
}

/**
 * Move pid's tree into a new quarantine cgroup; returns its state and cgroup id. cut(cgroupId) runs
 * before any process moves in (the deny hook's map), so none has a moment of network in there.
 */
export function quarantine(pid: number, rule: string, stateDir = DEFAULT_QUARANTINE_STATE, cut?: (cgroupId: bigint, dir: string) => void): { state: QuarantineState; cgroupId: bigint } {
	const parent = quarantineParent();
	if (!parent) throw new Error('no cgroup v2 hierarchy is mounted');
	const id = `q${Date.now().toString(36)}-${pid}`;
	const dir = join(parent, id);
	mkdirSync(dir);
	const cgroupId = BigInt(statSync(dir).ino);
	cut?.(cgroupId, dir);
	const from: Record<string, string> = {};
	// a child forked while the tree is read could be missed: read it again until a pass moves nobody new
	for (let pass = 0, moved = 1; pass < 4 && moved; pass++) {
		moved = 0;
		for (const p of processTree(pid)) {
			if (from[p] !== undefined) continue;
			const cg = cgroup2PathOf(p);
			if (cg === undefined || cg === `/${QUARANTINE_CGROUP}/${id}`) continue;
			try {
				writeFileSync(join(dir, 'cgroup.procs'), `${p}\n`);
				from[p] = cg;
				moved++;
			} catch {
				// exited meanwhile, or a kernel thread
			}
		}
	}
	const state: QuarantineState = { id, rule, time: new Date().toISOString(), cgroup: dir, from };
	writeState(stateDir, id, state);
	return { state, cgroupId };
}

/** The quarantines in force (their state files). */
export function listQuarantines(stateDir = DEFAULT_QUARANTINE_STATE): QuarantineState[] {
	return readStates<QuarantineState>(stateDir, QUARANTINE_ID);
}

/** Move a quarantine's processes back where they came from and remove it; returns the pids moved. */
export function release(id: string, stateDir = DEFAULT_QUARANTINE_STATE): number[] {
	if (!QUARANTINE_ID.test(id)) throw new Error(`'${id}' is not a quarantine id (bpfguard release --list shows them)`);
	const file = join(stateDir, `${id}.json`);
	if (!existsSync(file)) throw new Error(`no quarantine ${id} (bpfguard release --list shows them)`);
	const st = JSON.parse(readFileSync(file, 'utf8')) as QuarantineState;
	const root = findCgroup2();
	const moved: number[] = [];
	const inside = existsSync(join(st.cgroup, 'cgroup.procs')) ? readFileSync(join(st.cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number) : [];
	for (const p of inside) {
		const back = root && st.from[p] !== undefined && existsSync(join(root, st.from[p], 'cgroup.procs')) ? join(root, st.from[p]) : root;
		if (!back) continue;
		try {
			writeFileSync(join(back, 'cgroup.procs'), `${p}\n`);
			moved.push(p);
		} catch {
			// exited meanwhile
		}
	}
	try {
		rmdirSync(st.cgroup);
	} catch {
		// still holds a process that could not move: left for the next release
	}
	if (!existsSync(st.cgroup)) unlinkSync(file);
	return moved;
}
