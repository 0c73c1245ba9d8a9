/** @module seccomp/kmsg: seccomp records (audit type=1326) from the kernel log, read from /dev/kmsg. */
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** One kernel record of a seccomp action: the kernel writes it for kill actions, LOG, and logged denials. */
export interface SeccompRecord {
	readonly pid: number;
	readonly arch: number;
	readonly nr: number;
	/** The filter's return value: action in the high 16 bits, errno/trace data in the low. */
	readonly code: number;
}

/** What a drain of the kernel log found. */
export interface KmsgBatch {
	readonly records: SeccompRecord[];
	/** Audit lines the kernel's printk rate limit suppressed ("kauditd_printk_skb: N callbacks suppressed"). */
	suppressed: number;
	/** Records overwritten in the kernel's ring before we read them (EPIPE). */
	overrun: number;
}

const REC = /audit: type=1326 .*?\bpid=(\d+) .*?\barch=([0-9a-f]+) syscall=(\d+) .*?\bcode=0x([0-9a-f]+)/;
const SUPPRESSED = /kauditd_printk_skb: (\d+) callbacks suppressed/;

/** Parses one /dev/kmsg record ("pri,seq,ts,flags;text") into the batch. */
export function parseKmsgLine(line: string, into: KmsgBatch): void {
	const m = REC.exec(line);
	if (m) {
		into.records.push({ pid: Number(m[1]), arch: parseInt(m[2], 16), nr: Number(m[3]), code: parseInt(m[4], 16) });
		return;
	}
	const s = SUPPRESSED.exec(line);
	if (s) into.suppressed += Number(s[1]);
}

/** A reader positioned at the end of the kernel log: drain() returns what was logged since. */
export class KmsgReader {
	private readonly buf = Buffer.alloc(8192);
	private constructor(private fd: number) {}

	/** Opens /dev/kmsg and skips what is already there; throws the open error (EACCES without root). */
	static open(): KmsgReader {
		const r = new KmsgReader(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK));
		r.drain();
		return r;
	}

	/** Reads every record logged since the last drain. */
	drain(): KmsgBatch {
		const out: KmsgBatch = { records: [], suppressed: 0, overrun: 0 };
		for (;;) {
			let n: number;
			try {
				n = readSync(this.fd, this.buf, 0, this.buf.length, null);
			} catch (e) {
				const code = (e as NodeJS.ErrnoException).code;
				if (code === 'EPIPE') {
					out.overrun++;
					continue;
				}
				if (code === 'EAGAIN') return out;
				throw e;
			}
			if (n <= 0) return out;
			parseKmsgLine(this.buf.toString('utf8', 0, n), out);
		}
	}

	close(): void {
		if (this.fd >= 0) closeSync(this.fd);
		this.fd = -1;
	}
}
