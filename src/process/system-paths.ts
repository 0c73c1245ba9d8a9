/** @module process/system-paths: is an executable package-owned (dpkg) or somewhere a user could have put it? */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Directories a user can write to: never "system", whatever a package list says. */
const UNTRUSTED = ['/tmp/', '/var/tmp/', '/dev/shm/', '/home/', '/root/', '/run/user/', '/var/lib/docker/', '/proc/', '/memfd:'];

/** Used when there is no dpkg database. */
const SYSTEM_PREFIXES = ['/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/', '/usr/lib/', '/usr/lib32/', '/usr/lib64/', '/usr/libexec/', '/lib/', '/lib64/'];

/** Answers "is this path owned by an installed package", from dpkg's file lists (read once, cached). */
export class SystemPaths {
	private owned?: Set<string> | null;

	constructor(private readonly infoDir = '/var/lib/dpkg/info') {}

	/** True when the path is package-owned (or, without dpkg, under a system directory) and not under a user-writable one. */
	isSystem(path: string): boolean {
		if (!path.startsWith('/') || UNTRUSTED.some((d) => path.startsWith(d))) return false;
		const owned = this.load();
		if (!owned) return SYSTEM_PREFIXES.some((d) => path.startsWith(d));
		// usrmerge: dpkg may list /bin/x while the kernel reports /usr/bin/x (and the reverse).
		const alias = path.startsWith('/usr/') ? path.slice(4) : `/usr${path}`;
		return owned.has(path) || owned.has(alias);
	}

	private load(): Set<string> | null {
		if (this.owned !== undefined) return this.owned;
		let files: string[];
		try {
			files = readdirSync(this.infoDir).filter((f) => f.endsWith('.list'));
		} catch {
			return (this.owned = null);
		}
		const set = new Set<string>();
		for (const f of files) {
			try {
				for (const line of readFileSync(join(this.infoDir, f), 'utf8').split('\n')) if (line) set.add(line);
			} catch {
				/* unreadable list: its files count as not owned */
			}
		}
		return (this.owned = set.size ? set : null);
	}
}
