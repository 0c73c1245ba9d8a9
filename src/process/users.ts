/** @module process/users: uid and gid to names from /etc/passwd and /etc/group, reloaded when they change. */
import { readFileSync, statSync } from 'node:fs';

/** How often (ms) a file is checked for changes at most. */
const CHECK_MS = 1000;

/** Where UserDb reads names, and its clock (for tests). */
export interface UserDbOptions {
	passwd?: string;
	group?: string;
	/** Milliseconds clock; Date.now by default. */
	now?: () => number;
}

/** Parse "name:x:id:..." lines into id → name; the first line of an id wins, like getpwuid. */
function parseNames(text: string): Map<number, string> {
	const names = new Map<number, string>();
	for (const line of text.split('\n')) {
		if (!line || line.startsWith('#')) continue;
		const f = line.split(':');
		if (f.length < 3 || !f[0] || !/^\d+$/.test(f[2])) continue;
		const id = Number(f[2]);
		if (!names.has(id)) names.set(id, f[0]);
	}
	return names;
}

/** One colon-separated name file, cached and reloaded when its mtime, size or inode change. */
class NameFile {
	private names = new Map<number, string>();
	private version = '';
	private checkedAt = -Infinity;

	constructor(
		private readonly path: string,
		private readonly now: () => number,
	) {}

	name(id: number): string {
		this.refresh();
		return this.names.get(id) ?? String(id);
	}

	private refresh(): void {
		const t = this.now();
		if (t - this.checkedAt < CHECK_MS) return;
		this.checkedAt = t;
		let version: string;
		try {
			const st = statSync(this.path, { bigint: true });
			version = `${st.mtimeNs}:${st.size}:${st.ino}`;
		} catch {
			version = 'missing';
		}
		if (version === this.version) return;
		this.version = version;
		try {
			this.names = parseNames(readFileSync(this.path, 'utf8'));
		} catch {
			this.names = new Map();
		}
	}
}

/** User and group names by number; unknown ids give the number as a string. */
export class UserDb {
	private readonly users: NameFile;
	private readonly groups: NameFile;

	constructor(opts: UserDbOptions = {}) {
		const now = opts.now ?? Date.now;
		this.users = new NameFile(opts.passwd ?? '/etc/passwd', now);
		this.groups = new NameFile(opts.group ?? '/etc/group', now);
	}

	/** Name of a uid from the passwd file, or the number as a string. */
	userName(uid: number): string {
		return this.users.name(uid);
	}

	/** Name of a gid from the group file, or the number as a string. */
	groupName(gid: number): string {
		return this.groups.name(gid);
	}
}
