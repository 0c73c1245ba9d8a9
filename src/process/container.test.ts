/** @module process/container.test: cgroup layouts of each runtime (written from their documented layouts) and the host/namespace rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerResolver, HOST, parseCgroupPath, PidLookup, UNKNOWN } from './container.js';

const ID = 'a7d7d7605d562e0f3ad7e44b6cf9326a8b7f40123a6f64e2d257d701ea694b8b';
const ID2 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const POD = '5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const POD_ = POD.replace(/-/g, '_');

test('each runtime layout names its container: id, runtime, pod', () => {
	const cases: [string, string, string, string][] = [
		// docker, cgroupfs driver (v1 and v2) and systemd driver
		[`/docker/${ID}`, ID, 'docker', ''],
		[`/system.slice/docker-${ID}.scope`, ID, 'docker', ''],
		// docker in docker: the innermost
		[`/docker/${ID}/docker/${ID2}`, ID2, 'docker', ''],
		// podman: cgroupfs (root, this host's hybrid layout), systemd (root and rootless), --cgroups=split, a pod
		[`/libpod_parent/libpod-${ID}`, ID, 'podman', ''],
		[`/machine.slice/libpod-${ID}.scope`, ID, 'podman', ''],
		[`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, ID, 'podman', ''],
		[`/machine.slice/libpod-${ID}.scope/container`, ID, 'podman', ''],
		[`/machine.slice/machine-libpod_pod_${ID2}.slice/libpod-${ID}.scope`, ID, 'podman', ''],
		// Kubernetes: containerd and CRI-O with the systemd driver, any runtime with the cgroupfs driver
		[`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_}.slice/cri-containerd-${ID}.scope`, ID, 'containerd', POD],
		[`/kubepods.slice/kubepods-pod${POD_}.slice/cri-containerd-${ID}.scope`, ID, 'containerd', POD],
		[`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD_}.slice/crio-${ID}.scope`, ID, 'cri-o', POD],
		[`/kubepods/burstable/pod${POD}/${ID}`, ID, 'cri', POD],
		[`/kubepods/pod${POD}/${ID}`, ID, 'cri', POD],
		// nerdctl (containerd) with systemd
		[`/system.slice/nerdctl-${ID}.scope`, ID, 'containerd', ''],
		// systemd-nspawn and libvirt LXC machines (systemd escapes '-' as \x2d)
		['/machine.slice/machine-debian\\x2dtest.scope', 'debian-test', 'systemd-nspawn', ''],
		['/machine.slice/machine-web.scope/payload', 'web', 'systemd-nspawn', ''],
		['/machine.slice/machine-lxc\\x2d4242\\x2dweb.scope', 'lxc-4242-web', 'libvirt-lxc', ''],
		// LXC 4+ payload cgroups, and the legacy /lxc/<name>
		['/lxc.payload.web1', 'web1', 'lxc', ''],
		['/lxc.payload.web1/init.scope', 'web1', 'lxc', ''],
		['/lxc/web1', 'web1', 'lxc', ''],
	];
	for (const [path, id, runtime, podUid] of cases) assert.deepEqual(parseCgroupPath(path), { id, runtime, podUid }, path);
});

test('host cgroups, runtime monitors and virtual machines are no container', () => {
	for (const path of [
		'/',
		'',
		'/user.slice/user-1000.slice/session-3.scope',
		'/system.slice/docker.service',
		'/system.slice/containerd.service',
		'/libpod_parent/conmon',
		`/machine.slice/libpod-conmon-${ID}.scope`,
		`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_}.slice/crio-conmon-${ID}.scope`,
		'/lxc.monitor.web1',
		'/machine.slice/machine-qemu\\x2d1\\x2dvm.scope',
		'/process_api/b770233c4b428b113f7cc83326fe3091',
		`/docker/${ID.slice(0, 63)}`,
	]) {
		assert.equal(parseCgroupPath(path), null, path);
	}
});

test('identity: a container cgroup names it (12 hex); another pid namespace without one is not the host; a mount namespace alone (PrivateTmp=) is', () => {
	const r = new ContainerResolver({ pidns: 4026531836, mntns: 4026531832 });
	assert.deepEqual(r.identify(`/libpod_parent/libpod-${ID}`, `/libpod_parent/libpod-${ID}`, 4026532176, 4026532173), { id: ID.slice(0, 12), fullId: ID, runtime: 'podman', podUid: '' });
	/* the v2 path may be the root on a hybrid host: the v1 path names it */
	assert.equal(r.identify('/', `/docker/${ID}`, 4026532176, 4026532173).id, ID.slice(0, 12));
	assert.equal(r.identify('/', '/', 4026531836, 4026531832), HOST);
	assert.equal(r.identify('/user.slice', '', 4026531836, 4026531832), HOST);
	assert.deepEqual(r.identify('/', '/', 4026532243, 4026532242), { id: 'pidns-4026532243', fullId: 'pidns-4026532243', runtime: 'unknown', podUid: '' });
	assert.equal(r.identify('/system.slice/systemd-logind.service', '/system.slice/systemd-logind.service', 4026531836, 4026532242), HOST);
	/* unknown namespaces (0) say nothing */
	assert.equal(r.identify('/', '', 0, 0), HOST);
	assert.equal(new ContainerResolver({ pidns: 0, mntns: 0 }).identify('/', '', 4026532243, 4026532242), HOST);
	/* the same inputs give the same object (shared, not rebuilt per process) */
	assert.equal(r.identify('/', '/', 4026532243, 4026532242), r.identify('/', '/', 4026532243, 4026532242));
});

test('pid lookup: one read per pid while cached, counted; a pid already gone is <NA>', () => {
	const r = new ContainerResolver({ pidns: 1, mntns: 2 });
	let reads = 0;
	const l = new PidLookup(r, (pid) => {
		reads++;
		return pid === 10 ? { vpid: 3, pidns: 5, mntns: 6, cgroup: `/docker/${ID}`, cgroup1: '' } : null;
	});
	assert.deepEqual(l.get(10), { container: r.identify(`/docker/${ID}`, '', 5, 6), vpid: 3, pidns: 5, mntns: 6 });
	l.get(10);
	assert.equal(reads, 1);
	assert.equal(l.get(11).container, UNKNOWN);
	assert.deepEqual(l.stats, { lookups: 2, gone: 1 });
	l.forget(10);
	l.get(10);
	assert.equal(reads, 3);
});
