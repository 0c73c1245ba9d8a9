/** @module sinks/store-worker: the worker thread that owns the store sink's database: batches, checkpoints, retention and busy waits happen here, never on the event thread. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Alert } from '../alerts/alert.js';
import { AuditStore, alertRecord, type NewRecord } from '../store/store.js';
import { eventRecords } from '../store/event-record.js';
import type { EventBatch } from './sink.js';
import { loadKey } from '../store/key.js';
import { pruneStore, type RetentionPolicy } from '../store/retention.js';
import { errorCode } from './errors.js';

/** What the sink tells the worker when it starts it. */
export interface StoreWorkerData {
	path: string;
	keyPath: string;
	sealEvery: number;
	sealIntervalS: number;
	pruneIntervalS: number;
	policy: RetentionPolicy;
}

/** Requests, answered in order: one reply per request. */
export type StoreRequest = { op: 'append'; alerts: Alert[]; events?: EventBatch[] } | { op: 'close' };

/** Replies; `failed` is what the worker counted since its last message (seals skipped, prunes failed). */
export type StoreReply =
	| { op: 'opened'; failed: number }
	| { op: 'open-error'; message: string; code: string }
	| { op: 'appended'; n: number; failed: number }
	| { op: 'append-error'; busy: boolean; failed: number }
	| { op: 'failed'; failed: number }
	| { op: 'closed'; failed: number };

const port = parentPort!;
const cfg = workerData as StoreWorkerData;
let store: AuditStore | undefined;
let failed = 0;
let sealFailuresSeen = 0;

// Failures since the last message: counted ones plus seals the store skipped.
function takeFailed(): number {
	const n = store?.sealFailures ?? sealFailuresSeen;
	failed += n - sealFailuresSeen;
	sealFailuresSeen = n;
	const f = failed;
	failed = 0;
	return f;
}

const send = (r: StoreReply): void => port.postMessage(r);

function prune(): void {
	const p = cfg.policy;
	if (!store || (p.maxAgeMs === undefined && p.maxRows === undefined)) return;
	try {
		pruneStore(store, p);
	} catch {
		failed++; // retried at the next interval; records are not lost by a failed prune
	}
}

// Background work reports its failures without a request.
function background(fn: () => void): void {
	fn();
	const f = takeFailed();
	if (f > 0) send({ op: 'failed', failed: f });
}

try {
	store = AuditStore.open(cfg.path, { create: true, key: loadKey(cfg.keyPath, { create: true }), sealEvery: cfg.sealEvery });
	prune();
} catch (e) {
	store?.close();
	store = undefined;
	send({ op: 'open-error', message: (e as Error).message, code: errorCode(e) });
}
const pruneTimer = setInterval(() => background(prune), cfg.pruneIntervalS * 1000);
const sealTimer = setInterval(
	() =>
		background(() => {
			try {
				store?.seal();
			} catch {
				failed++; // retried at the next interval
			}
		}),
	cfg.sealIntervalS * 1000,
);
if (store) send({ op: 'opened', failed: takeFailed() });
else {
	clearInterval(pruneTimer);
	clearInterval(sealTimer);
	port.close();
}

port.on('message', (m: StoreRequest) => {
	if (m.op === 'append') {
		try {
			const recs: NewRecord[] = m.alerts.map(alertRecord);
			for (const b of m.events ?? []) eventRecords(b, recs);
			store!.append(recs, m.alerts.length); // events alone wait for the seal timer (sealIntervalS)
			send({ op: 'appended', n: recs.length, failed: takeFailed() });
		} catch (e) {
			failed++;
			send({ op: 'append-error', busy: errorCode(e) === 'SQLITE_BUSY', failed: takeFailed() });
		}
		return;
	}
	clearInterval(pruneTimer);
	clearInterval(sealTimer);
	store?.close(); // seals what was appended since the last checkpoint
	send({ op: 'closed', failed: takeFailed() });
	store = undefined;
	port.close();
});
