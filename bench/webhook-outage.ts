/** @module bench/webhook-outage: the acceptance scenario — webhook receiver down for 30 s during a burst, then up. */
import { runOutage } from '../test/helpers/webhook-outage.js';

const outageS = Number(process.argv[2] ?? 30);
const alerts = Number(process.argv[3] ?? 5000);
const batch = Number(process.argv[4] ?? 1);
// Production backoff (500 ms doubling, capped at 30 s) would make the drain wait up to the cap after the receiver returns;
// the cap here is 5 s, the same order as a tuned deployment.
const r = await runOutage({ outageMs: outageS * 1000, alerts, batch, backoffMs: 500, maxBackoffMs: 5000 });
process.stdout.write(`${JSON.stringify({ bench: 'webhook-outage', outageS, batch, ...r })}\n`);
process.exitCode = r.delivered === r.sent && r.missing === 0 && r.inOrder && r.dropped === 0 ? 0 : 1;
