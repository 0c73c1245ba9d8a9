/** @module sinks/config: the zod schema of the `sinks` section of the monitor's configuration. */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

const MIB = 1024 * 1024;

/** Syslog facilities by name (RFC 5424 §6.2.1 numeric codes). */
export const FACILITIES = {
	kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
	authpriv: 10, ftp: 11, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21,
	local6: 22, local7: 23,
} as const;
export type Facility = keyof typeof FACILITIES;

const facility = z.enum(Object.keys(FACILITIES) as [Facility, ...Facility[]]);

/** Human lines on stdout. */
export const TerminalConfig = z
	.object({ enabled: z.boolean().default(true), logs: z.boolean().default(false) })
	.strict();

/** JSON-lines audit file with size-based rotation (file, file.1 … file.keep). */
export const JsonlConfig = z
	.object({
		path: z.string().min(1),
		maxBytes: z.number().int().min(4096).default(64 * MIB),
		keep: z.number().int().min(0).max(1000).default(5),
		logs: z.boolean().default(true),
		fsync: z.boolean().default(false),
	})
	.strict();

/** RFC 5424 syslog to a unix datagram socket path or udp://host:port. */
export const SyslogConfig = z
	.object({
		target: z.string().regex(/^(\/|udp:\/\/)/, 'expected an absolute socket path or udp://host:port').default('/dev/log'),
		// authpriv: security messages, kept out of world-readable logs by stock syslog configurations.
		facility: facility.default('authpriv'),
		logs: z.boolean().default(false),
	})
	.strict();

/** True when a URL hostname is localhost or a loopback address: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
	const h = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	if (h === 'localhost') return true;
	if (isIPv4(h)) return h.startsWith('127.');
	// URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1
	return isIPv6(h) && (h === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h));
}

/** True when a bearer token would cross the network unencrypted (plain http to a non-loopback host). */
export function cleartextToken(url: string, hasToken: boolean): boolean {
	if (!hasToken) return false;
	const u = new URL(url);
	return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
}

const TOKEN_KEYS = ['token', 'tokenFile', 'tokenEnv'] as const;
const TLS_KEYS = ['ca', 'cert', 'key'] as const;

/**
 * HTTP POST of JSON alerts, with retries and an on-disk spool. Redirects are never followed. The token
 * comes from one of token, tokenFile (mode 0600) or tokenEnv; ca, cert and key are PEM files (https only).
 */
export const WebhookConfig = z
	.object({
		url: z.string().url().regex(/^https?:\/\//, 'expected an http or https url'),
		token: z.string().min(1).optional(),
		tokenFile: z.string().min(1).optional(),
		tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
		/** Allow a token over plain http to a non-loopback host (a warning at start). */
		allowInsecure: z.boolean().default(false),
		/** CA certificates that sign the receiver's certificate (replace the built-in ones). */
		ca: z.string().min(1).optional(),
		/** Client certificate and its private key (mode 0600), for receivers that require one. */
		cert: z.string().min(1).optional(),
		key: z.string().min(1).optional(),
		spoolDir: z.string().min(1),
		spoolMaxBytes: z.number().int().min(64 * 1024).default(64 * MIB),
		timeoutMs: z.number().int().min(100).max(120_000).default(5000),
		batch: z.number().int().min(1).max(500).default(1),
		logs: z.boolean().default(false),
		backoffMs: z.number().int().min(1).default(500),
		maxBackoffMs: z.number().int().min(1).default(30_000),
		flushTimeoutMs: z.number().int().min(0).default(10_000),
	})
	.strict()
	.superRefine((c, ctx) => {
		const problem = (key: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message });
		if (!URL.canParse(c.url)) return; // reported by the url check
		const tokens = TOKEN_KEYS.filter((k) => c[k] !== undefined);
		const tls = TLS_KEYS.filter((k) => c[k] !== undefined);
		const url = new URL(c.url);
		if (url.username || url.password) problem('url', 'credentials in the url: use token, tokenFile or tokenEnv');
		if (tokens.length > 1) problem(tokens[0], 'give one of token, tokenFile, tokenEnv');
		if (cleartextToken(c.url, tokens.length > 0) && !c.allowInsecure) {
			problem('url', 'refuse to send the bearer token over plain http to a non-loopback host: use https, or set allowInsecure: true');
		}
		if (tls.length > 0 && url.protocol !== 'https:') problem(tls[0], 'ca, cert and key need an https url');
		if ((c.cert === undefined) !== (c.key === undefined)) problem(c.cert ? 'cert' : 'key', 'cert and key go together (client certificate and its private key)');
	});

/** The embedded, hash-chained audit store (SQLite) that `bpfguard search`, `report` and `store verify` read. */
export const StoreConfig = z
	.object({
		path: z.string().min(1),
		/** The store key, outside the database (created 0600 in a 0700 directory if missing); it MACs checkpoints and retention anchors. */
		keyPath: z.string().min(1).default('/etc/bpfguard/store.key'),
		/** A checkpoint (keyed) after this many records (a batch of audit-trail events alone waits for sealIntervalS) ... */
		sealEvery: z.number().int().min(1).max(1_000_000).default(1000),
		/** ... or this many seconds after a record was written, and at close. */
		sealIntervalS: z.number().int().min(1).max(3600).default(10),
		logs: z.boolean().default(true),
		/** The audit trail: keep every event the monitor receives (after the kernel filter), not only rule matches (`monitor --audit`). */
		events: z.boolean().default(false),
		/** Events waiting for the database past this are dropped and counted (audit_dropped in loss records). */
		maxPendingEvents: z.number().int().min(1).max(10_000_000).default(100_000),
		/** Events per transaction at most. */
		eventBatch: z.number().int().min(1).max(1_000_000).default(20_000),
		/** Records older than this are removed (0: no age limit). */
		maxAgeDays: z.number().int().min(0).max(36_500).default(90),
		/** At most this many records (0: no limit). */
		maxRows: z.number().int().min(0).default(0),
		pruneIntervalS: z.number().int().min(10).default(3600),
		flushIntervalMs: z.number().int().min(1).max(60_000).default(200),
		batch: z.number().int().min(1).max(100_000).default(1000),
		/** Records waiting for the database (another writer holds the lock) past this are dropped and counted. */
		maxPending: z.number().int().min(1).max(10_000_000).default(100_000),
		/** Longest flush and close wait for the database worker. */
		flushTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
	})
	.strict();

/** The whole `sinks` section: each key is a sink kind (see registry.ts); absent means off. */
export const SinksConfig = z
	.object({
		terminal: TerminalConfig.optional(),
		jsonl: JsonlConfig.optional(),
		syslog: SyslogConfig.optional(),
		webhook: WebhookConfig.optional(),
		store: StoreConfig.optional(),
	})
	.strict();

export type SinksConfig = z.infer<typeof SinksConfig>;
export type SinksConfigInput = z.input<typeof SinksConfig>;
