/** @module config/load: read bpfguard.yaml (refused if others could change it); every problem as file:line:col with its key path. */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Node as YNode } from 'yaml';
import { Config } from './schema.js';
import { trustProblem } from '../util/file-trust.js';

/** A configuration file that cannot be used: every problem, one per line. */
export class ConfigError extends Error {
	readonly code = 'ECONFIG';
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
		this.name = 'ConfigError';
	}
}

/** Parse and check a config file (or the defaults when file is undefined); refuses one others could change (util/file-trust). */
export function loadConfig(file?: string): Config {
	if (!file) return Config.parse({});
	const unsafe = trustProblem(file);
	if (unsafe) throw new ConfigError([`${file}: refuse config: ${unsafe}`]);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new ConfigError([`${file}: read config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
	}
	const lc = new LineCounter();
	const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
	if (doc.errors.length) {
		throw new ConfigError(doc.errors.map((e) => {
			const p = lc.linePos(e.pos[0]);
			return `${file}:${p.line}:${p.col}: yaml: ${e.message.split('\n')[0]}`;
		}));
	}
	const r = Config.safeParse(doc.toJS() ?? {});
	if (r.success) return r.data;
	throw new ConfigError(
		r.error.issues.map((i) => {
			let node: YNode | undefined;
			for (let k = i.path.length; k >= 0 && !node; k--) node = doc.getIn(i.path.slice(0, k), true) as YNode | undefined;
			const p = lc.linePos(node?.range?.[0] ?? 0);
			return `${file}:${p.line}:${p.col}: ${i.path.join('.') || '(top)'}: ${i.message}`;
		}),
	);
}
