/** @module config/schema: the monitor's configuration file (YAML), checked with zod. */
import { z } from 'zod';
import { SinksConfig } from '../sinks/config.js';
import { PRIORITIES } from '../alerts/alert.js';

/** Default locations (the embedded audit data lives under STATE_DIR, 0700). */
export const STATE_DIR = '/var/lib/bpfguard';

/** bpfguard.yaml */
export const Config = z
	.object({
		/** Extra rules files or directories, loaded after the defaults. */
		rules: z.array(z.string().min(1)).default([]),
		/** Load the shipped rules (rules/ of the install). */
		default_rules: z.boolean().default(true),
		/** Lowest priority that raises alerts. */
		priority: z.enum(PRIORITIES).default('debug'),
		/** Repeats of one alert inside this many seconds fold into one with a count (0: off). */
		throttle_s: z.number().int().min(0).max(86400).default(10),
		/** The agent's own records: a loss record at most every loss_interval_s, a heartbeat every heartbeat_s (0: none). */
		health: z
			.object({
				loss_interval_s: z.number().int().min(1).max(3600).default(10),
				heartbeat_s: z.number().int().min(0).max(86400).default(60),
			})
			.strict()
			.default({}),
		/** Environment variables read from every new process at exec (proc.env[NAME]), at most 8: the loader's by default. */
		exec_env: z
			.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,29}$/, 'a variable name of at most 30 letters, digits and _'))
			.max(8)
			.default(['LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT']),
		/** Blocking rules (action kill, deny) act only when true (`monitor --enforce`); otherwise they report what they would have blocked. */
		enforce: z.boolean().default(false),
		/** Safety of blocking: executables never killed (added to the init system, sshd and the package managers), and kills per rule per minute before it falls back to audit (0: no limit). */
		enforcement: z
			.object({
				protect: z.array(z.string().startsWith('/')).default([]),
				kill_budget: z.number().int().min(0).max(100000).default(10),
				/** The cgroup v2 directory the deny rules fence (default: the root, every process). */
				cgroup: z.string().startsWith('/sys/fs/cgroup').optional(),
				/** Deny rules and quarantines stay in force after the monitor stops (`monitor --pin`; `bpfguard enforce list|remove`). */
				pin: z.boolean().default(false),
			})
			.strict()
			.default({}),
		/** Prometheus metrics on /metrics (off unless listen is set); loopback only unless allow_remote, which needs a bearer token. */
		metrics: z
			.object({
				listen: z.string().min(1).optional(),
				allow_remote: z.boolean().default(false),
				token: z.string().min(16).optional(),
				token_file: z.string().min(1).optional(),
			})
			.strict()
			.default({}),
		/**
		 * Container metadata (container.name, .image …, k8s.*), looked up off the event path from these
		 * sources in this order, cached per container; an alert waits at most hold_ms for the answer.
		 */
		containers: z
			.object({
				enabled: z.boolean().default(true),
				sources: z.array(z.enum(['docker', 'podman', 'storage', 'containerd'])).max(4).default(['docker', 'podman', 'storage', 'containerd']),
				docker_socket: z.string().startsWith('/').default('/var/run/docker.sock'),
				podman_socket: z.string().startsWith('/').default('/run/podman/podman.sock'),
				/** containers-storage's graphroot, runroot and graph driver (storage.conf), read when Podman's service is not running. */
				storage_root: z.string().startsWith('/').default('/var/lib/containers/storage'),
				storage_run_root: z.string().startsWith('/').default('/run/containers/storage'),
				storage_driver: z.string().regex(/^[a-z0-9]+$/).default('overlay'),
				/** containerd's task bundles (its CRI plugin's pod annotations). */
				containerd_state: z.string().startsWith('/').default('/run/containerd/io.containerd.runtime.v2.task'),
				timeout_ms: z.number().int().min(10).max(60000).default(1000),
				hold_ms: z.number().int().min(0).max(10000).default(250),
				cache_size: z.number().int().min(1).max(1000000).default(1024),
				ttl_s: z.number().int().min(1).max(86400).default(600),
				negative_ttl_s: z.number().int().min(1).max(86400).default(10),
			})
			.strict()
			.default({}),
		/** Where alerts go; default: terminal, a JSON-lines audit file and the embedded audit store under /var/lib/bpfguard. */
		sinks: SinksConfig.default({
			terminal: { enabled: true, logs: false },
			jsonl: { path: `${STATE_DIR}/alerts.jsonl` },
			store: { path: `${STATE_DIR}/audit.db` },
		}),
	})
	.strict();

export type Config = z.infer<typeof Config>;
