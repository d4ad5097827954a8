// SPDX-License-Identifier: ISC
// The dashboard's access to the balancer: reads of the JSON API, operator
// actions with the token (kept in this tab's sessionStorage only), and the
// number formats every page shares.

const TOKEN_KEY = 'ballast.token';

export class ApiError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

export function token() {
	try {
		return sessionStorage.getItem(TOKEN_KEY) || '';
	} catch (e) {
		return '';
	}
}

export function setToken(t) {
	try {
		if (t)
			sessionStorage.setItem(TOKEN_KEY, t);
		else
			sessionStorage.removeItem(TOKEN_KEY);
	} catch (e) {
		/* storage disabled: the token lives as long as the page */
	}
}

async function errorOf(r) {
	let msg = r.statusText || ('HTTP ' + r.status);
	try {
		const j = await r.json();
		if (j && j.error)
			msg = j.error;
	} catch (e) {
		/* not JSON */
	}
	return new ApiError(r.status, msg);
}

// GET path (under this origin) as JSON; throws ApiError.
export async function getJSON(path) {
	let r;
	try {
		r = await fetch(path, { cache: 'no-store',
		    headers: { Accept: 'application/json' } });
	} catch (e) {
		throw new ApiError(0, 'the balancer does not answer');
	}
	if (!r.ok)
		throw await errorOf(r);
	return r.json();
}

// An operator action: POST with the token.  Resolves to the answer's JSON;
// throws ApiError (401: no or wrong token).
export async function act(path, body) {
	const t = token();
	if (!t)
		throw new ApiError(401, 'enter the operator token first');
	const init = {
		method: 'POST',
		cache: 'no-store',
		headers: { 'X-Ballast-Token': t, Accept: 'application/json' },
	};
	if (body !== undefined) {
		init.headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	let r;
	try {
		r = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, 'the balancer does not answer');
	}
	if (!r.ok)
		throw await errorOf(r);
	return r.json();
}

// Fetches an image; resolves to a blob URL, or null when there is no
// history for it yet (404).
export async function getImage(url) {
	let r;
	try {
		r = await fetch(url, { cache: 'no-store' });
	} catch (e) {
		throw new ApiError(0, 'the balancer does not answer');
	}
	if (r.status === 404)
		return null;
	if (!r.ok)
		throw await errorOf(r);
	return URL.createObjectURL(await r.blob());
}

export const enc = encodeURIComponent;

export function pct(u) {
	if (typeof u !== 'number' || !isFinite(u))
		return '–';
	return (u * 100).toFixed(u < 0.1 ? 1 : 0) + ' %';
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n) {
	if (typeof n !== 'number' || !isFinite(n))
		return '–';
	let i = 0;
	while (Math.abs(n) >= 1024 && i < UNITS.length - 1) {
		n /= 1024;
		i++;
	}
	return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + UNITS[i];
}

export function rate(n) {
	return bytes(n) + '/s';
}

export function secs(s) {
	if (typeof s !== 'number' || !isFinite(s) || s < 0)
		return '–';
	if (s < 1)
		return Math.round(s * 1000) + ' ms';
	if (s < 90)
		return s.toFixed(s < 10 ? 1 : 0) + ' s';
	if (s < 5400)
		return Math.round(s / 60) + ' min';
	if (s < 172800)
		return (s / 3600).toFixed(1) + ' h';
	return (s / 86400).toFixed(1) + ' d';
}

// A Unix time in ms as local time (with the date when not today).
export function when(ms) {
	if (!ms)
		return '–';
	const d = new Date(ms);
	const now = new Date();
	const t = d.toLocaleTimeString([], { hour12: false });
	return d.toDateString() === now.toDateString() ? t :
	    d.toLocaleDateString() + ' ' + t;
}

export function ago(ms) {
	if (!ms)
		return 'never';
	return secs(Math.max(0, (Date.now() - ms) / 1000)) + ' ago';
}
