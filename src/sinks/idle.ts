/** @module sinks/idle: bounded waits for sinks; their timers keep the process alive, so a flush at exit completes. */

/** Waiters released by notify(), or by their own timeout. */
export class IdleWaiters {
	private waiters: (() => void)[] = [];

	/** Resolves true on the next notify(), false after timeoutMs. */
	wait(timeoutMs: number): Promise<boolean> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== done);
				resolve(false);
			}, timeoutMs);
			const done = (): void => {
				clearTimeout(t);
				resolve(true);
			};
			this.waiters.push(done);
		});
	}

	/** Release every waiter. */
	notify(): void {
		for (const w of this.waiters.splice(0)) w();
	}
}

/** A promise resolved after ms, or early when signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const t = setTimeout(done, ms);
		function done(): void {
			clearTimeout(t);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}
