/** @module rules/fields/user: user, group and container fields. */
import { readFileSync } from 'node:fs';
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';

const UNSET = 4294967295;

// container id per pid: read once from /proc/<pid>/cgroup (docker/containerd/podman/crio ids are 64 hex digits).
const containerCache = new Map<number, string>();
function containerId(c: EvalCtx): string {
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

defineFields([
	{ name: 'user.uid', type: 'number', desc: 'real user id', extract: (c) => c.proc?.uid },
	{ name: 'user.euid', type: 'number', desc: 'effective user id', extract: (c) => c.proc?.euid },
	{ name: 'user.name', type: 'string', desc: 'real user name', extract: (c) => (c.proc ? c.users.userName(c.proc.uid) : undefined) },
	{ name: 'user.loginuid', type: 'number', desc: 'audit login uid (-1 when unset)', extract: (c) => (c.proc ? (c.proc.loginuid === UNSET ? -1 : c.proc.loginuid) : undefined) },
	{ name: 'user.loginname', type: 'string', desc: 'name of the login uid', extract: (c) => (c.proc && c.proc.loginuid !== UNSET ? c.users.userName(c.proc.loginuid) : undefined) },
	{ name: 'group.gid', type: 'number', desc: 'real group id', extract: (c) => c.proc?.gid },
	{ name: 'group.name', type: 'string', desc: 'real group name', extract: (c) => (c.proc ? c.users.groupName(c.proc.gid) : undefined) },
	{ name: 'container.id', type: 'string', desc: "container id (12 hex digits) or 'host'", extract: containerId },
	{ name: 'container.cgroup_id', type: 'number', desc: 'cgroup v2 id', extract: (c) => Number(c.e.cgroupId) },
]);
