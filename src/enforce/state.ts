/**
 * @module enforce/state: the state files of quarantines and pins: one JSON file (0600) per id in a
 * directory (0700) only root writes, so `bpfguard release` and `enforce` work without a monitor.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Write (or replace) the state of id. */
export function writeState(dir: string, id: string, value: unknown): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
	writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(value)}\n`, { mode: 0o600 });
}

/** The states in dir whose id matches isId (an anchored pattern). */
export function readStates<T>(dir: string, isId: RegExp): T[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json') && isId.test(f.slice(0, -'.json'.length)))
		.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T);
}
