/**
 * @module enforce/pin: persistent (pinned) enforcement, `monitor --pin`. The deny hook's cgroup
 * links are pinned in the BPF filesystem (/sys/fs/bpf/bpfguard/enforce/ID/<program>), so deny rules
 * and quarantines stay in force after the monitor stops; a state file (0600) says what each pin
 * holds. `bpfguard enforce list` shows them and `enforce remove ID|--all` detaches them (removing a
 * pin drops the kernel's last reference to its link). Kill rules are not pinned: they need the
 * monitor's sensors.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readStates, writeState } from './state.js';

export const BPFFS = '/sys/fs/bpf';
export const PIN_ROOT = `${BPFFS}/bpfguard/enforce`;
export const DEFAULT_PIN_STATE = '/var/lib/bpfguard/enforce';
/** A pin's id: p and the time in base 36. */
const PIN_ID = /^p[0-9a-z]+$/;

/** What a pin holds (its state file). */
export interface PinState {
	id: string;
	time: string;
	/** The monitor's pid that pinned it. */
	pid: number;
	/** The cgroup the programs are attached to. */
	cgroup: string;
	/** The deny rules in force (name → mode), and whether quarantines are held by it. */
	rules: Record<string, string>;
	/** The pinned links' files. */
	links: string[];
}

/** Whether a BPF filesystem is mounted at /sys/fs/bpf. */
export function bpffsMounted(): boolean {
	try {
		return readFileSync('/proc/mounts', 'utf8')
			.split('\n')
			.some((l) => {
				const [, at, type] = l.split(' ');
				return at === BPFFS && type === 'bpf';
			});
	} catch {
		return false;
	}
}

/** A new pin's id and directory (made, 0700); throws with what to do when there is no BPF filesystem. */
export function newPinDir(): { id: string; dir: string } {
	if (!bpffsMounted()) throw new Error(`no BPF filesystem at ${BPFFS} (mount -t bpf bpf ${BPFFS})`);
	const id = `p${Date.now().toString(36)}`;
	const dir = join(PIN_ROOT, id);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	return { id, dir };
}

/** Record what a pin holds. */
export function writePinState(st: PinState, stateDir = DEFAULT_PIN_STATE): void {
	writeState(stateDir, st.id, st);
}

/** The pins in force: state files, and pinned directories without one (state lost). */
export function listPins(stateDir = DEFAULT_PIN_STATE): (PinState & { present: boolean })[] {
	const out = new Map<string, PinState & { present: boolean }>();
	for (const st of readStates<PinState>(stateDir, PIN_ID)) out.set(st.id, { ...st, present: st.links.some((l) => existsSync(l)) });
	if (existsSync(PIN_ROOT)) {
		for (const id of readdirSync(PIN_ROOT)) {
			if (out.has(id) || !PIN_ID.test(id)) continue;
			const links = readdirSync(join(PIN_ROOT, id)).map((l) => join(PIN_ROOT, id, l));
			out.set(id, { id, time: '?', pid: 0, cgroup: '?', rules: {}, links, present: links.length > 0 });
		}
	}
	return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Detach a pin (remove its links' files and its state); returns the links removed. */
export function removePin(id: string, stateDir = DEFAULT_PIN_STATE): string[] {
	if (!PIN_ID.test(id)) throw new Error(`'${id}' is not a pinned enforcement id (bpfguard enforce list shows them)`);
	const st = listPins(stateDir).find((p) => p.id === id);
	if (!st) throw new Error(`no pinned enforcement ${id} (bpfguard enforce list shows them)`);
	const dir = join(PIN_ROOT, id);
	const removed: string[] = [];
	// only files in the pin's own directory, whatever the state file says
	const files = new Set([...st.links, ...(existsSync(dir) ? readdirSync(dir).map((l) => join(dir, l)) : [])].filter((l) => l.startsWith(`${dir}/`) && !l.slice(dir.length + 1).includes('/')));
	for (const l of files) {
		if (!existsSync(l)) continue;
		unlinkSync(l);
		removed.push(l);
	}
	if (existsSync(dir)) rmdirSync(dir);
	const file = join(stateDir, `${id}.json`);
	if (existsSync(file)) unlinkSync(file);
	return removed;
}
