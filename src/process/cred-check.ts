/**
 * @module process/cred-check: the user-space credential check: compares the ids an event carries
 * with the last ids known for its task, and reports a change nothing explained.
 *
 * How the monitor calls it: one CredTracker per run; call `observe(ev)` for every decoded event,
 * in ring-buffer order, before the rules see it; a non-null result is an unexplained change
 * (raise it like a priv_drift record: field priv.unexplained). Known ids come from exec, fork and
 * priv records; a sensor whose records carry ids adds one entry to CRED_SOURCES for its kind.
 * It complements the kernel check (bg_priv_check), which sees every dispatched syscall but only
 * while the priv sensor runs; this one covers every event of every sensor.
 */
import type { BgEvent, PrivEvent } from '../events/types.js';

/** The ids compared (the ones every record that carries creds has). */
export interface Ids {
	uid: number;
	euid: number;
	gid: number;
	egid: number;
}

/** An unexplained change found in user space. */
export interface CredDrift {
	pid: number;
	tid: number;
	/** Kind of the event that showed it. */
	seenIn: string;
	expected: Ids;
	actual: Ids;
}

/** What an event says about a task's ids: `before` must match what is known, `after` becomes known. */
interface CredFacts {
	before?: Ids;
	after?: Ids;
}

const ids = (c: Ids): Ids => ({ uid: c.uid, euid: c.euid, gid: c.gid, egid: c.egid });
const privFacts = (e: PrivEvent): CredFacts => ({ before: ids(e.old), after: ids(e.new) });

/**
 * Event kind → the ids it carries. exec rebases without a check (a setuid exec changes ids
 * legitimately; the kernel's transition check covers it). priv_drift already is a finding.
 */
export const CRED_SOURCES: Partial<Record<BgEvent['kind'], (e: BgEvent) => CredFacts>> = {
	exec: (e) => (e.kind === 'exec' && e.ret === 0 ? { after: ids(e) } : e.kind === 'exec' ? { before: ids(e) } : {}),
	priv_call: (e) => privFacts(e as PrivEvent),
	priv_exec: (e) => privFacts(e as PrivEvent),
	priv_drift: (e) => ({ after: ids((e as PrivEvent).new) }),
};

const same = (a: Ids, b: Ids) => a.uid === b.uid && a.euid === b.euid && a.gid === b.gid && a.egid === b.egid;

/** Last known ids per task (tid), updated from events. */
export class CredTracker {
	private readonly known = new Map<number, Ids>();

	/** Compare the event's ids with the last known ones; returns the drift, or null. Updates what is known. */
	observe(ev: BgEvent): CredDrift | null {
		if (ev.kind === 'fork') {
			const parent = this.known.get(ev.parentTid);
			if (parent) this.known.set(ev.pid, parent);
			return null;
		}
		if (ev.kind === 'exit') {
			this.known.delete(ev.tid);
			this.known.delete(ev.pid);
			return null;
		}
		const facts = CRED_SOURCES[ev.kind]?.(ev);
		if (!facts) return null;
		const tid = ev.kind === 'exec' ? ev.oldTid : ev.tid;
		const expected = this.known.get(tid);
		let drift: CredDrift | null = null;
		if (expected && facts.before && !same(expected, facts.before)) {
			drift = { pid: ev.pid, tid: ev.tid, seenIn: ev.kind, expected, actual: facts.before };
		}
		const now = facts.after ?? facts.before;
		if (now) {
			if (tid !== ev.tid) this.known.delete(tid);
			this.known.set(ev.tid, now);
		}
		return drift;
	}

	/** Tasks tracked (for counters). */
	get size(): number {
		return this.known.size;
	}
}
