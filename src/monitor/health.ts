/**
 * @module monitor/health: the agent's own records (start, stop, heartbeat, loss) as events the
 * rules see, so a loss or a stop reaches every sink and the audit store like any alert.
 */
import { readFileSync } from 'node:fs';
import type { AgentEvent, AgentWhat } from '../events/types.js';
import { nowBootNs } from '../events/clock.js';

/** Running totals of everything that can be lost, by cause (never decreasing). */
export type LossCounters = Record<string, number>;

/** How often the agent speaks about itself. */
export interface HealthOptions {
	/** At most one loss record per this many seconds (counts accumulate in between). */
	lossIntervalS: number;
	/** A heartbeat every this many seconds (0: none). */
	heartbeatS: number;
}

function ownComm(): string {
	try {
		return readFileSync('/proc/self/comm', 'utf8').trim();
	} catch {
		return 'bpfguard';
	}
}

/** Builds the agent's records; the caller feeds them to the rule engine. */
export class Health {
	private readonly startMs: number;
	private lastLossMs = -Infinity;
	private lastHeartbeatMs: number;
	private reported: LossCounters = {};
	private readonly comm = ownComm();

	constructor(
		private readonly o: HealthOptions,
		private readonly now: () => number = Date.now,
		private readonly bootNs: () => bigint = nowBootNs,
	) {
		this.startMs = now();
		this.lastHeartbeatMs = this.startMs;
	}

	/** The start record: what runs. */
	start(reason: string, counts: Record<string, number>): AgentEvent {
		return this.record('start', reason, counts, 0, 0);
	}

	/** The stop record: why, with the totals of the run. */
	stop(reason: string, totals: Record<string, number>, events: number): AgentEvent {
		return this.record('stop', reason, totals, events, this.uptimeS());
	}

	/**
	 * Called every second with the loss totals: a loss record when something new was lost and
	 * the last one is at least lossIntervalS old (new losses wait, counted, for the next one);
	 * a heartbeat when due. With final (at stop), any unreported loss is reported now and no
	 * heartbeat is made. Returns the records to evaluate (often none).
	 */
	tick(loss: LossCounters, totals: Record<string, number>, events: number, final = false): AgentEvent[] {
		const out: AgentEvent[] = [];
		const t = this.now();
		if (final || t - this.lastLossMs >= this.o.lossIntervalS * 1000) {
			const fresh: Record<string, number> = {};
			let sum = 0;
			for (const [k, v] of Object.entries(loss)) {
				const d = v - (this.reported[k] ?? 0);
				if (d > 0) {
					fresh[k] = d;
					sum += d;
				}
			}
			if (sum > 0) {
				const windowS = Number.isFinite(this.lastLossMs) ? (t - this.lastLossMs) / 1000 : this.uptimeS();
				out.push(this.record('loss', Object.entries(fresh).map(([k, v]) => `${k}=${v}`).join(' '), fresh, sum, windowS));
				this.reported = { ...loss };
				this.lastLossMs = t;
			}
		}
		if (!final && this.o.heartbeatS > 0 && t - this.lastHeartbeatMs >= this.o.heartbeatS * 1000) {
			out.push(this.record('heartbeat', 'alive', totals, events, (t - this.lastHeartbeatMs) / 1000));
			this.lastHeartbeatMs = t;
		}
		return out;
	}

	private uptimeS(): number {
		return Math.round((this.now() - this.startMs) / 100) / 10;
	}

	private record(what: AgentWhat, reason: string, counts: Record<string, number>, total: number, windowS: number): AgentEvent {
		return {
			kind: 'agent',
			what,
			flags: 0,
			bootNs: this.bootNs(),
			timeMs: this.now(),
			pid: process.pid,
			tid: process.pid,
			cgroupId: 0n,
			reason,
			counts: { ...counts },
			total,
			uptimeS: this.uptimeS(),
			windowS: Math.round(windowS * 10) / 10,
			comm: this.comm,
		};
	}
}

/** Kernel counters (enum bg_stat names) that mean a record or a decision was lost, by the cause name a loss record uses. */
const KERNEL_LOSS: Readonly<Record<string, string>> = {
	rb_full: 'ringbuf_full',
	no_scratch: 'no_scratch',
	compat_syscall: 'compat_syscall_undecoded',
	priv_no_store: 'priv_no_store',
	net_track_fail: 'net_track_fail',
	sc_no_state: 'seccomp_no_state',
	sc_no_handler: 'seccomp_no_handler',
	uring_cq_overflow: 'io_uring_cq_overflow',
};

/** Every loss total the monitor can see: kernel drops, user-space decode failures, 32-bit calls not decoded, sink drops, and (audit trail on) events the store could not keep. */
export function lossCounters(kernel: Record<string, number>, user: { unknownKind: number; oversize: number; handlerErrors: number }, sinkDropped: number, auditDropped?: number): LossCounters {
	const out: LossCounters = {};
	for (const [k, name] of Object.entries(KERNEL_LOSS)) out[name] = kernel[k] ?? 0;
	out.decode_unknown_kind = user.unknownKind;
	out.decode_oversize = user.oversize;
	out.handler_error = user.handlerErrors;
	out.sink_dropped = sinkDropped;
	if (auditDropped !== undefined) out.audit_dropped = auditDropped;
	return out;
}
