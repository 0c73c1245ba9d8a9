/**
 * @module sensors/uring: whether this kernel has io_uring's tracepoints (io_uring_complete,
 * io_uring_submit_req and io_uring_cqe_overflow), which the file and network sensors' io_uring programs (bg_file_uring*,
 * bg_net_uring) attach to: without them (io_uring not built in) those programs are not loaded,
 * and the rest of the sensor works as before.
 */
import { readFileSync } from 'node:fs';
import { btfPath } from '../util/paths.js';

let cached: boolean | undefined;

/** True when the kernel's BTF has the io_uring_complete and io_uring_submit_req tracepoints (read once). */
export function hasIoUringTracepoints(btf = btfPath()): boolean {
	if (cached === undefined) {
		try {
			const b = readFileSync(btf);
			cached = ['complete', 'submit_req', 'cqe_overflow'].every((t) => b.includes(`btf_trace_io_uring_${t}\0`));
		} catch {
			cached = false;
		}
	}
	return cached;
}
