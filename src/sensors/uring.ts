/**
 * @module sensors/uring: whether this kernel has io_uring's tracepoints (io_uring_complete,
 * io_uring_submit_req and io_uring_cqe_overflow), where the dispatcher's io_uring programs hand
 * requests by opcode to the file and network sensors' programs (bg_file_uring*, bg_net_uring*):
 * without them (io_uring not built in) those programs are not loaded, and the rest of the sensors
 * work as before. hasTracepoints answers the same for any set; IORING_OP holds the opcodes.
 */
import { readFileSync } from 'node:fs';
import { btfPath } from '../util/paths.js';

const cache = new Map<string, boolean>();

/** True when the kernel's BTF names every one of these (types, functions, kfuncs; read once per set). */
function btfHas(names: readonly string[], btf: string): boolean {
	const key = `${btf}\0${names.join(',')}`;
	let has = cache.get(key);
	if (has === undefined) {
		try {
			const b = readFileSync(btf);
			has = names.every((n) => b.includes(`${n}\0`));
		} catch {
			has = false;
		}
		cache.set(key, has);
	}
	return has;
}

/** True when the kernel's BTF has every one of these raw tracepoints (btf_trace_NAME). */
export function hasTracepoints(names: readonly string[], btf = btfPath()): boolean {
	return btfHas(names.map((t) => `btf_trace_${t}`), btf);
}

/**
 * True when the kernel's BTF has the io_uring_complete, io_uring_submit_req and io_uring_cqe_overflow
 * tracepoints, and the bpf_rdonly_cast kfunc (Linux 6.2+) the sensors' io_uring programs read requests with.
 */
export function hasIoUringTracepoints(btf = btfPath()): boolean {
	return hasTracepoints(['io_uring_complete', 'io_uring_submit_req', 'io_uring_cqe_overflow'], btf) && btfHas(['bpf_rdonly_cast'], btf);
}

/** io_uring opcodes the sensors handle (include/uapi/linux/io_uring.h enum io_uring_op: UAPI, fixed). */
export const IORING_OP = {
	SENDMSG: 9,
	ACCEPT: 13,
	CONNECT: 16,
	OPENAT: 18,
	SEND: 26,
	OPENAT2: 28,
	RENAMEAT: 35,
	UNLINKAT: 36,
	MKDIRAT: 37,
	SYMLINKAT: 38,
	LINKAT: 39,
	SEND_ZC: 47,
	SENDMSG_ZC: 48,
} as const;
