/** @module service/notify: sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET through the addon (Node's dgram has no unix sockets). */
import { addon } from '../bridge/addon.js';

/** Sends state lines (e.g. "READY=1\nSTATUS=…") to systemd; sent from the main process, so no MAINPID race. */
export class SdNotifier {
	/** The first send error, if any (then nothing more is sent). */
	error?: string;

	constructor(
		private readonly socket = process.env.NOTIFY_SOCKET,
		private readonly send: (path: string, data: Buffer) => void = (p, d) => addon().sendUnixDgram(p, d),
	) {}

	/** Whether a service manager asked for notifications. */
	get enabled(): boolean {
		return !!this.socket && this.error === undefined;
	}

	/** Send the state; false when not run by systemd or the socket failed (reported once in error). */
	notify(state: Record<string, string | number>): boolean {
		if (!this.enabled) return false;
		const text = Object.entries(state).map(([k, v]) => `${k}=${String(v).replace(/\n/g, ' ')}`).join('\n');
		try {
			this.send(this.socket!, Buffer.from(`${text}\n`));
			return true;
		} catch (e) {
			this.error = `notify ${this.socket}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
			return false;
		}
	}
}

/** CLOCK_MONOTONIC in µs, as RELOADING=1 carries it (MONOTONIC_USEC). */
export function monotonicUsec(): string {
	return String(process.hrtime.bigint() / 1000n);
}
