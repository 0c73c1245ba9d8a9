/**
 * @module test/helpers/podman: real containers for kernel tests, offline. A busybox-static rootfs is
 * imported as a local image (no registry), and containers run with runc under a containers.conf of
 * our own (this VM refuses rlimit changes, so no default ulimits; crun rejects the hybrid cgroup layout).
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** The local image every test container runs (busybox applets only). */
export const TEST_IMAGE = 'localhost/bpfguard-test:busybox';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];
const APPLETS = ['sh', 'cat', 'ls', 'id', 'sleep', 'nc', 'wget', 'echo', 'touch', 'mkdir', 'rm', 'mv', 'chmod', 'true', 'ps', 'head', 'dd'];

let confDir: string | undefined;

/** Environment for podman: our containers.conf (runc, no default ulimits). */
export function podmanEnv(): NodeJS.ProcessEnv {
	if (!confDir) {
		confDir = mkdtempSync(join(tmpdir(), 'bg-podman-'));
		writeFileSync(join(confDir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n', { mode: 0o600 });
	}
	return { ...process.env, CONTAINERS_CONF: join(confDir, 'containers.conf') };
}

/** Why containers cannot run here, or null when they can. */
export function podmanUnavailable(): string | null {
	if (process.geteuid?.() !== 0) return 'not root';
	if (spawnSync('podman', ['--version']).error) return 'podman not installed (scripts/setup.sh --test installs it)';
	if (spawnSync('runc', ['--version']).error) return 'runc not installed';
	if (!BUSYBOX.some((b) => existsSync(b))) return 'busybox-static not installed';
	return null;
}

/** Call at the top of a container test: skipped locally when podman is missing, a failure under CI=true. */
export function requirePodman(t: TestContext): boolean {
	const why = podmanUnavailable();
	if (!why) return true;
	if (process.env.CI === 'true') throw new Error(`podman required under CI=true: ${why}`);
	t.skip(why);
	return false;
}

/** Run podman with args (no shell); throws with its stderr when it fails. */
export function podman(args: string[], opts: { input?: string; timeoutMs?: number } = {}): string {
	const r = podmanTry(args, opts);
	if (r.status !== 0) throw new Error(`podman ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
	return r.stdout;
}

/** Run podman with args; the raw result, never throws. */
export function podmanTry(args: string[], opts: { input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
	return spawnSync('podman', args, { env: podmanEnv(), encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 60_000 });
}

/** Import the busybox image once (idempotent); returns its name. */
export function ensureTestImage(): string {
	if (podmanTry(['image', 'exists', TEST_IMAGE]).status === 0) return TEST_IMAGE;
	const dir = mkdtempSync(join(tmpdir(), 'bg-rootfs-'));
	try {
		const root = join(dir, 'rootfs');
		for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'run']) mkdirSync(join(root, d), { recursive: true });
		copyFileSync(BUSYBOX.find((b) => existsSync(b))!, join(root, 'bin/busybox'));
		chmodSync(join(root, 'bin/busybox'), 0o755);
		for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
		writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
		writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
		writeFileSync(join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
		const tar = join(dir, 'rootfs.tar');
		execFileSync('tar', ['-C', root, '-cf', tar, '.']);
		podman(['import', '--change', 'CMD ["/bin/sh"]', tar, TEST_IMAGE]);
		return TEST_IMAGE;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** A container started detached; stop() removes it. */
export interface TestContainer {
	readonly name: string;
	/** Full 64-hex id, as `podman inspect` reports it. */
	readonly id: string;
	/** Host pid of the container's init (its pid 1). */
	readonly pid: number;
	/** Run argv inside it (podman exec, no shell); the result, never throws. */
	exec(argv: string[], timeoutMs?: number): SpawnSyncReturns<string>;
	stop(): void;
}

/**
 * Start a named container from the test image running `sleep` as its init (podman run -d), with
 * extra podman run options (e.g. ['-v', '/etc:/host-etc:ro'], ['--network', 'none']).
 */
export function startContainer(name: string, runOpts: string[] = [], cmd: string[] = ['sleep', '600']): TestContainer {
	ensureTestImage();
	podmanTry(['rm', '-f', '-t', '0', name]);
	const id = podman(['run', '-d', '--name', name, ...runOpts, TEST_IMAGE, ...cmd]).trim();
	const pid = Number(podman(['inspect', '--format', '{{.State.Pid}}', name]).trim());
	return {
		name,
		id,
		pid,
		exec: (argv, timeoutMs) => podmanTry(['exec', name, ...argv], { timeoutMs }),
		stop: () => {
			podmanTry(['rm', '-f', '-t', '0', name]);
		},
	};
}

/** Run a one-shot container (podman run --rm); the result, never throws. */
export function runContainer(name: string, runOpts: string[], argv: string[], timeoutMs?: number): SpawnSyncReturns<string> {
	ensureTestImage();
	podmanTry(['rm', '-f', '-t', '0', name]);
	return podmanTry(['run', '--rm', '--name', name, ...runOpts, TEST_IMAGE, ...argv], { timeoutMs });
}
