/** @module container/image-ref: an image reference split as Falco does (repository, tag, digest). */

/** The parts of an image reference such as docker.io/library/nginx:1.25@sha256:…. */
export interface ImageRef {
	/** The reference without tag and digest (docker.io/library/nginx, localhost/bpfguard-test). */
	repository: string;
	/** The tag, '' when the reference has none. */
	tag: string;
	/** The digest (sha256:…), '' when the reference has none. */
	digest: string;
}

/** Split an image reference; a ':' after the last '/' starts the tag (a registry's port comes before a '/'). */
export function parseImageRef(ref: string): ImageRef {
	let rest = ref;
	let digest = '';
	const at = rest.indexOf('@');
	if (at >= 0) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
	}
	let tag = '';
	const colon = rest.lastIndexOf(':');
	if (colon > rest.lastIndexOf('/')) {
		tag = rest.slice(colon + 1);
		rest = rest.slice(0, colon);
	}
	return { repository: rest, tag, digest };
}
