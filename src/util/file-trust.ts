/** @module util/file-trust: refuse files that someone other than root or the invoking user could change (the monitor runs as root and reloads them). */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { repoPath } from './paths.js';

/** Whose files are trusted. */
export interface TrustPolicy {
	/** Check owners (running as root); without it only the mode bits are checked. */
	checkOwner: boolean;
	/** Owners accepted: root, the effective user, the invoking user (SUDO_UID), the owner of the bpfguard install. */
	owners: ReadonlySet<number>;
}

// The uid of a file, or undefined when it cannot be read.
function ownerOf(p: string): number | undefined {
	try {
		return statSync(p).uid;
	} catch {
		return undefined;
	}
}

/**
 * The policy of this process. The owner of the install is trusted because whoever can change
 * bpfguard's code can change what root runs anyway (a checkout owned by its user, run with su).
 */
export function trustPolicy(env: NodeJS.ProcessEnv = process.env): TrustPolicy {
	const euid = process.geteuid?.() ?? 0;
	const owners = new Set([0, euid]);
	if (env.SUDO_UID && /^\d+$/.test(env.SUDO_UID)) owners.add(Number(env.SUDO_UID));
	const install = ownerOf(repoPath('package.json'));
	if (install !== undefined) owners.add(install);
	return { checkOwner: euid === 0, owners };
}

const octal = (st: Stats): string => (st.mode & 0o7777).toString(8).padStart(4, '0');

// What lets someone else change p, given its stat; sticky: a directory whose files others cannot replace.
function modeProblem(p: string, st: Stats, policy: TrustPolicy, stickyOk: boolean): string | undefined {
	const sticky = stickyOk && st.isDirectory() && (st.mode & 0o1000) !== 0;
	if (st.mode & 0o002 && !sticky) return `writable by others (mode ${octal(st)}); fix: chmod go-w ${p}`;
	// Group-writable is fine when the group is root's or the owner's private group (gid = uid, the
	// user-private-group convention under which umask 002 is the default).
	if (st.mode & 0o020 && !sticky && st.gid !== 0 && st.gid !== st.uid) return `writable by group ${st.gid} (mode ${octal(st)}); fix: chmod go-w ${p}`;
	if (policy.checkOwner && !policy.owners.has(st.uid)) return `owned by uid ${st.uid}, not root or the invoking user; fix: chown root ${p}`;
	return undefined;
}

/**
 * Why someone other than root or the invoking user could change path, as "what is wrong; fix: command",
 * or undefined. Symlinks are resolved; the target is checked, then the directory holding it (sticky
 * directories like /tmp pass: others cannot replace a file there). A directory is checked as one whose
 * listing is read (sticky does not help). A path that cannot be resolved is left to the reader.
 */
export function trustProblem(path: string, policy: TrustPolicy = trustPolicy()): string | undefined {
	let real: string;
	let st: Stats;
	try {
		real = realpathSync(path);
		st = statSync(real);
	} catch {
		return undefined;
	}
	const isDir = st.isDirectory();
	const own = modeProblem(real, st, policy, false);
	if (own) return isDir ? `directory ${real} is ${own}` : real === path ? own : `${real} is ${own}`;
	const parent = dirname(real);
	if (parent === real) return undefined;
	const up = modeProblem(parent, statSync(parent), policy, true);
	return up ? `directory ${parent} is ${up}` : undefined;
}

/** trustProblem, and first: a secret (token file, private key) readable by group or others. */
export function secretProblem(path: string, policy: TrustPolicy = trustPolicy()): string | undefined {
	let st: Stats;
	try {
		st = statSync(path);
	} catch {
		return undefined;
	}
	const real = realpathSync(path);
	const where = real === path ? '' : `${real} is `;
	if (st.mode & 0o044) return `${where}readable by group or others (mode ${octal(st)}); fix: chmod 600 ${real}`;
	return trustProblem(path, policy);
}
