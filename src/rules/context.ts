/** @module rules/context: per-event evaluation context (the event, its process and ancestry, cached once per event). */
import type { BgEvent } from '../events/types.js';
import type { ProcessTable, ProcInfo } from '../process/table.js';
import { UserDb } from '../process/users.js';

/**
 * Reused across events: set() resets the per-event caches without allocating. Without a process
 * table (the snoops) proc.*, user.* and group.* fields come from what the event itself carries.
 */
export class EvalCtx {
	e!: BgEvent;
	private procCache: ProcInfo | undefined | null = null;
	private ancCache: ProcInfo[] | null = null;

	constructor(
		readonly table?: ProcessTable,
		readonly users: UserDb = new UserDb(),
	) {}

	/** Point the context at the next event. */
	set(e: BgEvent): this {
		this.e = e;
		this.procCache = null;
		this.ancCache = null;
		return this;
	}

	/** The event's process from the table (after the event was applied), or undefined. */
	get proc(): ProcInfo | undefined {
		if (this.procCache === null) this.procCache = this.table?.get(this.e.pid);
		return this.procCache;
	}

	/** Ancestors, parent first (none without a table). */
	ancestors(): ProcInfo[] {
		if (this.ancCache === null) this.ancCache = this.table ? this.table.ancestry(this.e.pid, 32) : [];
		return this.ancCache;
	}
}
