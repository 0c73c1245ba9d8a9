/**
 * @module sensors/uring: whether this kernel has io_uring's tracepoints (io_uring_complete,
 * io_uring_submit_req and io_uring_cqe_overflow), which the file and network sensors' io_uring programs (bg_file_uring*,
 * bg_net_uring) attach to: without them (io_uring not built in) those programs are not loaded,
 * and the rest of the sensor works as before. hasTracepoints answers the same for any set.
 */
import { readFileSync } from 'node:fs';
import { btfPath } from '../util/paths.js';

const cache = new Map<string, boolean>();

/** True when the kernel's BTF has every one of these raw tracepoints (btf_trace_NAME; read once per set). */
export function hasTracepoints(names: readonly string[], btf = btfPath()): boolean {
	const key = `${btf}\0${names.join(',')}`;
	let has = cache.get(key);
	if (has === undefined) {
		try {
			const b = readFileSync(btf);
			has = names.every((t) => b.includes(`btf_trace_${t}\0`));
		} catch {
			has = false;
		}
		cache.set(key, has);
	}
	return has;
}

/** True when the kernel's BTF has the io_uring_complete, io_uring_submit_req and io_uring_cqe_overflow tracepoints. */
export function hasIoUringTracepoints(btf = btfPath()): boolean {
	return hasTracepoints(['io_uring_complete', 'io_uring_submit_req', 'io_uring_cqe_overflow'], btf);
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
