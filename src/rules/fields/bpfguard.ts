/** @module rules/fields/bpfguard: fields of the agent's own records (evt.type bpfguard_start, _stop, _heartbeat, _loss). */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { AgentEvent } from '../../events/types.js';

const agent = (c: EvalCtx): AgentEvent | undefined => (c.e.kind === 'agent' ? c.e : undefined);
const countsText = (a: AgentEvent) => Object.entries(a.counts).map(([k, v]) => `${k}=${v}`).join(' ');

defineFields([
	{ name: 'bpfguard.what', type: 'string', desc: "the agent's record: start, stop, heartbeat or loss", extract: (c) => agent(c)?.what },
	{ name: 'bpfguard.reason', type: 'string', desc: 'start: what runs; stop: why it stopped (SIGINT, SIGTERM, duration, error …); loss: what was lost (cause=count …)', extract: (c) => agent(c)?.reason },
	{ name: 'bpfguard.lost', type: 'number', desc: 'loss: events, records or alerts lost since the previous loss record, all causes', extract: (c) => (agent(c)?.what === 'loss' ? agent(c)!.total : undefined) },
	{ name: 'bpfguard.events', type: 'number', desc: 'heartbeat and stop: events the agent evaluated since it started', extract: (c) => (agent(c) && agent(c)!.what !== 'loss' ? agent(c)!.total : undefined) },
	{ name: 'bpfguard.count', type: 'number', arg: 'required', desc: 'one count of the record by cause, e.g. bpfguard.count[ringbuf_full], bpfguard.count[sink_dropped]', extract: (c, a) => agent(c)?.counts[a ?? ''] },
	{ name: 'bpfguard.counts', type: 'string', desc: 'every count of the record, cause=count separated by spaces', extract: (c) => (agent(c) ? countsText(agent(c)!) : undefined) },
	{ name: 'bpfguard.uptime_s', type: 'number', desc: 'seconds the agent has been running', extract: (c) => agent(c)?.uptimeS },
	{ name: 'bpfguard.window_s', type: 'number', desc: 'seconds the counts of a loss or heartbeat record cover', extract: (c) => agent(c)?.windowS },
]);
