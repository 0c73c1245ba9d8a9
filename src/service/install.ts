/** @module service/install: lay out the systemd service (unit, /etc/bpfguard, /var/lib/bpfguard) under a root, and take it away again. */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../util/paths.js';
import { loadKey } from '../store/key.js';

/** The unit's name and where things live on the final system (under root when installing elsewhere). */
export const UNIT_NAME = 'bpfguard.service';
export const UNIT_DIR = '/etc/systemd/system';
export const CONFIG_DIR = '/etc/bpfguard';
export const STATE_DIR = '/var/lib/bpfguard';

/** A problem laying out the service (one line). */
export class InstallError extends Error {
	readonly code = 'EINSTALL';
}

/** The commented configuration install writes (every commented value is the default or an example). */
export const DEFAULT_CONFIG = `# bpfguard configuration: bpfguard monitor --config ${CONFIG_DIR}/bpfguard.yaml
# (the systemd unit runs exactly that). Every key is optional; uncomment to change.
# \`systemctl reload bpfguard\` reloads the rules; other changes need \`systemctl restart bpfguard\`.

# Rules files or directories (*.yaml), loaded after the shipped rules.
rules:
  - ${CONFIG_DIR}/rules.d

# Load the shipped rules (rules/ of the install).
# default_rules: true

# Lowest priority that raises alerts (emergency … debug).
# priority: debug

# Repeats of one alert within this many seconds fold into one with a count (0: off).
# throttle_s: 10

# Environment variables read from every new process at exec (proc.env[NAME]), at most 8.
# exec_env: [LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT]

# The agent's own records: a loss record at most every loss_interval_s, a heartbeat every heartbeat_s.
# health:
#   loss_interval_s: 10
#   heartbeat_s: 60

# Prometheus metrics on http://LISTEN/metrics; loopback only unless allow_remote (then a bearer token is required).
# metrics:
#   listen: 127.0.0.1:9464
#   allow_remote: false
#   token_file: ${CONFIG_DIR}/metrics.token

# Where alerts go (the terminal sink writes to stderr, which journald keeps).
# sinks:
#   terminal: {enabled: true, logs: false}
#   jsonl: {path: ${STATE_DIR}/alerts.jsonl}
#   store: {path: ${STATE_DIR}/audit.db}
`;

/** What a step did, for the command to print. */
export type Step = string;

function fsStep<T>(what: string, path: string, f: () => T): T {
	try {
		return f();
	} catch (e) {
		throw new InstallError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
	}
}

/** A directory with exactly this mode (created or tightened). */
function dir(path: string, mode: number, steps: Step[]): void {
	const had = existsSync(path);
	fsStep('create directory', path, () => mkdirSync(path, { recursive: true, mode }));
	fsStep('chmod', path, () => chmodSync(path, mode));
	steps.push(`${had ? 'kept' : 'created'} ${path} (${mode.toString(8).padStart(4, '0')})`);
}

/** An ExecStart word systemd takes as it is (no quoting, specifiers or variables). */
function plainWord(p: string): string {
	if (!/^\/[A-Za-z0-9._/+-]+$/.test(p)) throw new InstallError(`install: path ${JSON.stringify(p)} cannot be used in ExecStart (only letters, digits and ._/+- are allowed)`);
	return p;
}

/** The unit from packaging/bpfguard.service with ExecStart pointing at this node and bin/bpfguard. */
export function unitText(execPath: string, binPath: string): string {
	const tpl = readFileSync(repoPath('packaging/bpfguard.service'), 'utf8');
	const exec = `ExecStart=${plainWord(execPath)} ${plainWord(binPath)} monitor --config ${CONFIG_DIR}/bpfguard.yaml`;
	if (!/^ExecStart=.*$/m.test(tpl)) throw new InstallError('install: packaging/bpfguard.service has no ExecStart line');
	return tpl.replace(/^ExecStart=.*$/m, exec);
}

/** Options of install and uninstall. */
export interface LayoutOptions {
	/** Install under this directory instead of / (tests, image builds). */
	root: string;
	execPath?: string;
	binPath?: string;
}

/** Write the unit (0644: systemctl reads it as any user), /etc/bpfguard (0700) with a commented config (0600, kept if present), rules.d and the store key, and /var/lib/bpfguard (0700). */
export function install(o: LayoutOptions): Step[] {
	const steps: Step[] = [];
	const unit = unitText(o.execPath ?? process.execPath, o.binPath ?? repoPath('bin/bpfguard'));
	const unitDir = join(o.root, UNIT_DIR);
	if (!existsSync(unitDir)) dir(unitDir, 0o755, steps);
	const unitPath = join(unitDir, UNIT_NAME);
	fsStep('write', unitPath, () => writeFileSync(unitPath, unit, { mode: 0o644 }));
	fsStep('chmod', unitPath, () => chmodSync(unitPath, 0o644));
	steps.push(`wrote ${unitPath}`);
	const cfgDir = join(o.root, CONFIG_DIR);
	dir(cfgDir, 0o700, steps);
	dir(join(cfgDir, 'rules.d'), 0o700, steps);
	const cfg = join(cfgDir, 'bpfguard.yaml');
	if (existsSync(cfg)) steps.push(`kept ${cfg}`);
	else {
		fsStep('write', cfg, () => writeFileSync(cfg, DEFAULT_CONFIG, { mode: 0o600, flag: 'wx' }));
		steps.push(`wrote ${cfg} (0600)`);
	}
	const key = join(cfgDir, 'store.key');
	const hadKey = existsSync(key);
	fsStep('create store key', key, () => loadKey(key, { create: true }));
	steps.push(`${hadKey ? 'kept' : 'created'} ${key} (0600; the unit keeps ${CONFIG_DIR} read-only)`);
	dir(join(o.root, STATE_DIR), 0o700, steps);
	return steps;
}

/** Remove the unit; with purge also /etc/bpfguard and /var/lib/bpfguard (the audit data), else keep them. */
export function uninstall(o: LayoutOptions & { purge?: boolean }): Step[] {
	const steps: Step[] = [];
	const unitPath = join(o.root, UNIT_DIR, UNIT_NAME);
	if (existsSync(unitPath)) {
		fsStep('remove', unitPath, () => rmSync(unitPath));
		steps.push(`removed ${unitPath}`);
	} else steps.push(`no ${unitPath}`);
	for (const d of [join(o.root, CONFIG_DIR), join(o.root, STATE_DIR)]) {
		if (!existsSync(d)) continue;
		if (!o.purge) {
			steps.push(`kept ${d} (--purge removes it)`);
			continue;
		}
		fsStep('remove', d, () => rmSync(d, { recursive: true, force: true }));
		steps.push(`removed ${d}`);
	}
	return steps;
}

/** Whether root is an existing directory (the --root check). */
export function isDir(p: string): boolean {
	try {
		return statSync(p).isDirectory();
	} catch {
		return false;
	}
}
