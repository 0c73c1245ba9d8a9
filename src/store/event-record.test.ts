/** @module store/event-record.test: an encoded batch (UTF-8 bytes) splits back into exactly the records the encoder saw, past the buffer's first size and with non-ASCII text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EvalCtx } from '../rules/context.js';
import { eventJsonText } from '../rules/fields/json.js';
import { EventEncoder, eventRecords } from './event-record.js';
import { EVENT_KIND } from './schema.js';
import { sampleEvents } from '../../test/helpers/events.js';
import type { BgEvent } from '../events/types.js';
import { KIND_ROWS } from '../events/table.js';

const COMMS = ['plain', 'ünïcödé', '日本語', 'emoji-😀', 'q"uote\\back', 'tab\there'];

function encodeAll(evs: BgEvent[], enc: EventEncoder): { want: { timeMs: number; data: string }[]; batch: ReturnType<EventEncoder['take']> } {
	const ctx = new EvalCtx();
	const want = evs.map((e) => {
		ctx.set(e);
		const data = `{"fields":${eventJsonText(ctx)},"hostname":"höst","source":"${KIND_ROWS[e.kind].source}"}`;
		enc.add(ctx);
		return { timeMs: e.timeMs, data };
	});
	return { want, batch: enc.take() };
}

test('a batch of 5000 events (past the 1 MiB first buffer), some with non-ASCII names, decodes to the same records; the next batch starts empty', () => {
	const tpl = sampleEvents();
	const evs = Array.from({ length: 5000 }, (_, i) => ({ ...tpl[i % tpl.length], pid: 10_000 + i, comm: COMMS[i % COMMS.length], timeMs: 1_700_000_000_000 + i }) as BgEvent);
	const enc = new EventEncoder('höst');
	const { want, batch } = encodeAll(evs, enc);
	assert.ok(batch && batch.data.byteLength > 1 << 20, 'the batch outgrew the first buffer');
	assert.equal(batch.n, 5000);
	const recs = eventRecords(batch);
	assert.equal(recs.length, 5000);
	for (let i = 0; i < recs.length; i++) assert.deepEqual(recs[i], { kind: EVENT_KIND, timeMs: want[i].timeMs, data: want[i].data });
	assert.ok(recs.some((r) => r.data.includes('日本語')) && recs.some((r) => r.data.includes('😀')));
	assert.equal(enc.take(), undefined);
	const second = encodeAll(evs.slice(0, 3), enc);
	assert.deepEqual(eventRecords(second.batch!).map((r) => r.data), second.want.map((w) => w.data));
});

test('events whose text is mostly 3-byte UTF-8 never overrun the buffer: 400 events of 3000 CJK characters each decode whole', () => {
	const tpl = sampleEvents();
	const evs = Array.from({ length: 400 }, (_, i) => ({ ...tpl[i % tpl.length], pid: 20_000 + i, comm: `${i}-${'日'.repeat(3000)}`, timeMs: 1_700_000_000_000 + i }) as BgEvent);
	const { want, batch } = encodeAll(evs, new EventEncoder('höst'));
	assert.deepEqual(eventRecords(batch!).map((r) => r.data), want.map((w) => w.data));
});
