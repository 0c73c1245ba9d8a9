/** @module rules/fields/user: user, group and container fields (from the process table; else from what the event carries). */
import { readFileSync } from 'node:fs';
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import { ownCred } from '../event-view.js';

const UNSET = 4294967295;

// container id per pid: read once from /proc/<pid>/cgroup (docker/containerd/podman/crio ids are 64 hex digits).
const containerCache = new Map<number, string>();
/** The event's container id (12 hex digits) or 'host'. */
export function containerId(c: EvalCtx): string {
	const pid = c.e.pid;
	let id = containerCache.get(pid);
	if (id !== undefined) return id;
	id = 'host';
	try {
		const m = /([0-9a-f]{64})/.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
		if (m) id = m[1].slice(0, 12);
	} catch {
		/* exited: host unless known */
	}
	if (containerCache.size > 65536) containerCache.clear();
	containerCache.set(pid, id);
	return id;
}

/** An id of the event's process: the table's, else the one the event carries. */
const cred = (c: EvalCtx, k: 'uid' | 'euid' | 'gid' | 'egid'): number | undefined => (c.proc ? c.proc[k] : ownCred(c.e, k));
/** The audit login uid: the table's, else an exec event's own. */
const loginuid = (c: EvalCtx): number | undefined => (c.proc ? c.proc.loginuid : c.e.kind === 'exec' ? c.e.loginuid : undefined);

function loginuidField(c: EvalCtx): number | undefined {
	const l = loginuid(c);
	return l === UNSET ? -1 : l;
}

function userName(c: EvalCtx): string | undefined {
	const uid = cred(c, 'uid');
	return uid === undefined ? undefined : c.users.userName(uid);
}

function loginName(c: EvalCtx): string | undefined {
	const l = loginuid(c);
	return l === undefined || l === UNSET ? undefined : c.users.userName(l);
}

function groupName(c: EvalCtx): string | undefined {
	const gid = cred(c, 'gid');
	return gid === undefined ? undefined : c.users.groupName(gid);
}

defineFields([
	{ name: 'user.uid', type: 'number', desc: 'real user id', extract: (c) => cred(c, 'uid') },
	{ name: 'user.euid', type: 'number', desc: 'effective user id', extract: (c) => cred(c, 'euid') },
	{ name: 'user.name', type: 'string', desc: 'real user name', extract: userName },
	{ name: 'user.loginuid', type: 'number', desc: 'audit login uid (-1 when unset)', extract: loginuidField },
	{ name: 'user.loginname', type: 'string', desc: 'name of the login uid', extract: loginName },
	{ name: 'group.gid', type: 'number', desc: 'real group id', extract: (c) => cred(c, 'gid') },
	{ name: 'group.egid', type: 'number', desc: 'effective group id', extract: (c) => cred(c, 'egid') },
	{ name: 'group.name', type: 'string', desc: 'real group name', extract: groupName },
	{ name: 'container.id', type: 'string', desc: "container id (12 hex digits) or 'host'", extract: containerId },
	{ name: 'container.cgroup_id', type: 'number', desc: 'cgroup v2 id', extract: (c) => Number(c.e.cgroupId) },
]);
