/** @module rules/fields/fd: file and socket fields (fd.*), from file and network events. */
import { defineFields } from './registry.js';
import { fdValue } from '../event-view.js';

defineFields([
	{ name: 'fd.name', sensor: 'file', type: 'string', desc: 'absolute path of the file (the kernel\'s path of the opened object), or ip:port->ip:port for sockets', extract: (c) => fdValue(c.e, 'name') },
	{ name: 'fd.name_raw', sensor: 'file', type: 'string', desc: 'the path argument as passed to the syscall (relative, with .., before symlinks)', extract: (c) => fdValue(c.e, 'name_raw') },
	{ name: 'fd.directory', sensor: 'file', type: 'string', desc: 'directory of fd.name', extract: (c) => fdValue(c.e, 'directory') },
	{ name: 'fd.filename', sensor: 'file', type: 'string', desc: 'file name of fd.name (no directory)', extract: (c) => fdValue(c.e, 'filename') },
	{ name: 'fd.sip', sensor: 'net', type: 'string', desc: 'source IP address', extract: (c) => fdValue(c.e, 'sip') },
	{ name: 'fd.dip', sensor: 'net', type: 'string', desc: 'destination IP address', extract: (c) => fdValue(c.e, 'dip') },
	{ name: 'fd.sport', sensor: 'net', type: 'number', desc: 'source port', extract: (c) => fdValue(c.e, 'sport') },
	{ name: 'fd.dport', sensor: 'net', type: 'number', desc: 'destination port', extract: (c) => fdValue(c.e, 'dport') },
	{ name: 'fd.l4proto', sensor: 'net', type: 'string', desc: 'tcp or udp', extract: (c) => fdValue(c.e, 'l4proto') },
	{ name: 'fd.sockfamily', sensor: 'net', type: 'string', desc: 'ip or ip6', extract: (c) => fdValue(c.e, 'sockfamily') },
	{ name: 'fd.typechar', type: 'string', desc: 'f for files, 4 or 6 for IPv4/IPv6 sockets', extract: (c) => fdValue(c.e, 'typechar') },
]);
