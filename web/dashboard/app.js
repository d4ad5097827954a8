// SPDX-License-Identifier: ISC
// The dashboard's shell: the hash router (#/, #/host/NAME, #/vm/UUID,
// #/vms, #/plan, #/migrations, #/traffic, #/policy), polling of the API every two
// seconds while the tab is visible, and the operator token panel.

import { getJSON, act, token, setToken } from './api.js';
import { fill, say } from './ui.js';
import { overview, hostPage, vmPage, vmsPage, planPage, migrationsPage,
    policyPage } from './pages.js';
import { trafficPage } from './traffic.js';

const POLL_MS = 2000;
const GRAPH_MS = 30000;

const ROUTES = {
	'': overview,
	host: hostPage,
	vm: vmPage,
	vms: vmsPage,
	plan: planPage,
	migrations: migrationsPage,
	traffic: trafficPage,
	policy: policyPage,
};

const ctx = { range: '-1h', act: doAct };
let page = null, route = null, state = null, timer = null, busy = false;
let lastGraphs = 0;

function parseHash() {
	const parts = location.hash.replace(/^#\/?/, '').split('/');
	const name = ROUTES[parts[0]] ? parts[0] : '';
	let param = parts.slice(1).join('/');
	try {
		param = decodeURIComponent(param);
	} catch (e) {
		/* keep it as it came */
	}
	return { name, param };
}

async function poll() {
	const [status, hosts, maint, plan, migs, policy] = await Promise.all([
		getJSON('/api/v1/status'),
		getJSON('/api/v1/hosts'),
		getJSON('/api/v1/maintenance').catch(() => []),
		getJSON('/api/v1/plan/explain').catch(() => null),
		getJSON('/api/v1/migrations').catch(() => []),
		getJSON('/api/v1/policy').catch(() => null),
	]);
	return { status, hosts, maint: new Set(maint), plan, migs, policy };
}

function showConn(ok, text) {
	const el = document.getElementById('conn');
	el.className = ok ? 'conn ok' : 'conn down';
	fill(el, text);
}

async function tick() {
	clearTimeout(timer);
	if (busy)
		return;
	busy = true;
	try {
		if (!document.hidden) {
			state = await poll();
			showConn(true, 'live · ' + new Date().toLocaleTimeString([],
			    { hour12: false }));
			if (page)
				await page.update(state);
			if (page && page.graphs && Date.now() - lastGraphs > GRAPH_MS) {
				lastGraphs = Date.now();
				page.graphs();
			}
			document.body.dataset.ready = 'true';
		}
	} catch (e) {
		showConn(false, 'not connected: ' + e.message);
	} finally {
		busy = false;
		timer = setTimeout(tick, POLL_MS);
	}
}

function navigate() {
	const r = parseHash();
	const key = r.name + '/' + r.param;
	if (key === route)
		return;
	route = key;
	for (const a of document.querySelectorAll('nav a'))
		a.classList.toggle('on', a.dataset.route === r.name ||
		    (r.name === 'host' && a.dataset.route === '') ||
		    (r.name === 'vm' && a.dataset.route === 'vms'));
	const root = document.getElementById('main');
	document.body.dataset.ready = 'false';
	page = ROUTES[r.name](root, r.param, ctx);
	lastGraphs = 0;
	window.scrollTo(0, 0);
	tick();
}

// An operator action, then a fresh poll so the page shows its effect.
async function doAct(path, body, done) {
	if (!token()) {
		openToken(true);
		say('Operator actions need the token: enter it above.', 'error');
		return;
	}
	try {
		await act(path, body);
		say(done, 'ok');
	} catch (e) {
		if (e.status === 401) {
			openToken(true);
			say('The balancer refused the token: ' + e.message, 'error');
		} else
			say(e.message, 'error');
	}
	tick();
}

function showToken() {
	const set = !!token();
	const st = document.getElementById('token-state');
	fill(st, set ? 'operator' : 'read-only');
	st.className = set ? 'who op-on' : 'who';
}

function openToken(open) {
	document.getElementById('token-panel').hidden = !open;
	if (open)
		document.getElementById('token-input').focus();
}

function setupToken() {
	const input = document.getElementById('token-input');
	document.getElementById('token-btn').addEventListener('click', () =>
	    openToken(document.getElementById('token-panel').hidden));
	document.getElementById('token-form').addEventListener('submit', ev => {
		ev.preventDefault();
		setToken(input.value.trim());
		input.value = '';
		showToken();
		openToken(false);
		say(token() ? 'Token kept for this tab.' : 'Token forgotten.', 'ok');
	});
	document.getElementById('token-forget').addEventListener('click', () => {
		setToken('');
		showToken();
		openToken(false);
		say('Token forgotten: read-only.', 'info');
	});
	showToken();
}

setupToken();
window.addEventListener('hashchange', navigate);
document.addEventListener('visibilitychange', () => {
	if (!document.hidden)
		tick();
});
navigate();
