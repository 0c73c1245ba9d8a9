/** @module util/ids: user names and numbers on the command line. */
import { readFileSync } from 'node:fs';

/** A uid from a number or a user name in /etc/passwd; undefined when unknown. */
export function resolveUid(v: string, passwd = '/etc/passwd'): number | undefined {
	if (/^\d+$/.test(v)) return Number(v);
	try {
		for (const line of readFileSync(passwd, 'utf8').split('\n')) {
			const f = line.split(':');
			if (f[0] === v && /^\d+$/.test(f[2] ?? '')) return Number(f[2]);
		}
	} catch {
		/* no passwd: only numbers work */
	}
	return undefined;
}
