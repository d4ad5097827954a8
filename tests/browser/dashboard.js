// SPDX-License-Identifier: ISC
// The operator dashboard in a real browser, against a running balancer
// fed by ballast-sim with hv01 made hot by a trace burst, policy in
// approve mode (tests/integration/test_dashboard.sh sets that up).
//
// Usage: node dashboard.js   with BALLAST_URL (http://127.0.0.1:PORT),
// BALLAST_TOKEN, SCREENS (folder for the screenshots) and WORK (scratch).
'use strict';

const fs = require('fs');
const path = require('path');
const { check, notok, note, launch, watch, failures } = require('./lib.js');

const URL = process.env.BALLAST_URL;
const TOKEN = process.env.BALLAST_TOKEN;
const SCREENS = process.env.SCREENS;
const WORK = process.env.WORK;
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

async function api(p) {
	const r = await fetch(URL + p, { cache: 'no-store' });
	if (!r.ok)
		throw new Error(p + ': HTTP ' + r.status);
	return r.json();
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(SCREENS, name + '.png'),
	    fullPage: true });
	note('screenshot ' + name + '.png');
}

// Opens a route and waits for the first poll to be drawn.
async function open(page, hash) {
	await page.goto(URL + '/' + hash);
	await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
}

async function graphsLoaded(page, n, what) {
	try {
		await page.waitForFunction(k =>
		    document.querySelectorAll('figure.graph[data-loaded="true"]')
		    .length >= k, n, { timeout: 20000 });
		check(what + ': its ' + n + ' graphs load', true);
	} catch (e) {
		const notes = await page.$$eval('.graph-note', els =>
		    els.map(x => x.textContent));
		notok(what + ': its ' + n + ' graphs load', notes.join('\n'));
	}
}

async function noOverflow(page, what) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth,
	    window.innerWidth]);
	check(what + ' fits the width without scrolling sideways (' + w[0] +
	    ' <= ' + w[1] + ' px)', w[0] <= w[1] + 1);
}

async function overviewChecks(page) {
	await open(page, '#/');
	const hosts = (await api('/api/v1/hosts')).map(x => x.name).sort();
	const tiles = (await page.$$eval('#heatmap [data-host]', els =>
	    els.map(e => e.dataset.host))).sort();
	check('the overview shows every host the API lists (' + hosts.join(' ') +
	    ')', hosts.length > 0 && JSON.stringify(hosts) === JSON.stringify(tiles),
	    'page: ' + tiles.join(' '));
	// hv01 was hot by the API a moment ago; allow a few polls
	let hot = false;
	try {
		await page.waitForSelector('#heatmap [data-host="hv01"][data-hot=' +
		    '"true"]', { timeout: 10000 });
		hot = true;
	} catch (e) {
		note('hv01 by the API now: ' + JSON.stringify(
		    await api('/api/v1/hosts/hv01').then(x => x.cpu_util)));
	}
	check('the trace-driven hot host hv01 is shown hot', hot);
	const others = await page.$$eval('#heatmap [data-hot="true"]', els =>
	    els.map(e => e.dataset.host));
	check('and no other host is', others.join() === 'hv01', others.join());
	const latest = await page.textContent('#latest');
	check('the overview lists the latest migrations (none yet)',
	    /no migrations yet/.test(latest));
	await graphsLoaded(page, 2, 'overview');
	await shot(page, '1-overview-hot');
}

async function hostChecks(page) {
	await page.click('#heatmap [data-host="hv01"]');
	await page.waitForSelector('[data-vm]', { timeout: 15000 });
	const api1 = (await api('/api/v1/hosts/hv01')).vm_list.map(v => v.name)
	    .sort();
	const shown = (await page.$$eval('[data-vm]', els =>
	    els.map(e => e.dataset.vm))).sort();
	check('the host page lists hv01\'s VMs (' + api1.join(' ') + ')',
	    JSON.stringify(api1) === JSON.stringify(shown), shown.join(' '));
	await graphsLoaded(page, 5, 'host page');
	await page.click('.range button[data-range="-6h"]');
	await page.waitForFunction(() => [...document.querySelectorAll(
	    'figure.graph img')].every(i => !i.hidden && i.complete));
	check('the range picker redraws the graphs', await page.$eval(
	    '.range button[data-range="-6h"]', b => b.classList.contains('on')));
	await shot(page, '2-host-hv01');
}

async function vmChecks(page) {
	await page.click('[data-vm] a');
	await page.waitForSelector('#move-to option', { state: 'attached',
	    timeout: 15000 });
	const title = await page.textContent('h1');
	check('a VM page opens from its host (' + title.trim() + ')',
	    /^VM /.test(title.trim()));
	await graphsLoaded(page, 5, 'VM page');
	await shot(page, '3-vm');
}

async function planChecks(page) {
	await open(page, '#/plan');
	await page.waitForSelector('article.rec[data-state="pending"]',
	    { timeout: 30000 });
	const rec = await page.$eval('article.rec[data-state="pending"]', e => ({
		id: e.dataset.rec, vm: e.dataset.vm, text: e.textContent,
		approve: !!e.querySelector('button[data-approve]'),
	}));
	check('in approve mode the hot host\'s recommendation appears (#' +
	    rec.id + ', ' + rec.vm + ')', rec.vm === 'vm-1' || rec.vm === 'vm-5');
	check('with its explanation: hv01 is hot, before/after, prediction',
	    /hv01 is hot/.test(rec.text) && /predicted migration time/.test(
	    rec.text) && /→/.test(rec.text) && /downtime/.test(rec.text),
	    rec.text);
	check('and approve/reject buttons', rec.approve);
	await shot(page, '4-plan-pending');
	return rec;
}

async function approveChecks(page, rec) {
	// without the token: the page says so and nothing changes
	await page.click('button[data-approve="' + rec.id + '"]');
	await page.waitForSelector('#msg.error');
	const plan = await api('/api/v1/plan');
	const r = plan.recommendations.find(x => String(x.id) === rec.id);
	check('approving without a token is refused in the page and changes ' +
	    'nothing', r && r.state === 'pending' &&
	    (await api('/api/v1/migrations')).length === 0);
	await page.fill('#token-input', TOKEN);
	await page.click('#token-form button[type=submit]');
	await page.waitForSelector('.who.op-on');
	await page.click('button[data-approve="' + rec.id + '"]');
	await page.waitForSelector('#msg.ok');
	await page.waitForSelector('article.rec[data-rec="' + rec.id +
	    '"][data-state="approved"]', { timeout: 15000 });
	check('approving with the token from the page starts the migration', true);
	await shot(page, '5-plan-approved');
}

async function migrationChecks(page) {
	await open(page, '#/migrations');
	await page.waitForSelector('#migrations tr[data-state="done"]',
	    { timeout: 30000 });
	const row = await page.textContent('#migrations tr[data-state="done"]');
	check('the migration appears in the timeline, done, with reason and ' +
	    'duration', /hot/.test(row) && /hv01/.test(row) &&
	    (await page.$$('#timeline .tl-row')).length === 1, row);
	await shot(page, '6-migrations');
}

async function coolChecks(page) {
	await open(page, '#/');
	try {
		await page.waitForSelector('#heatmap [data-host="hv01"][data-hot=' +
		    '"false"]', { timeout: 30000 });
		check('hv01 cools down on the overview', true);
	} catch (e) {
		notok('hv01 cools down on the overview');
	}
	await page.waitForFunction(() => !/no migrations yet/.test(
	    document.querySelector('#latest').textContent));
	check('the overview\'s latest migrations show it with its reason',
	    /hot/.test(await page.textContent('#latest')));
	await shot(page, '7-overview-cool');
}

async function policyChecks(page) {
	await open(page, '#/policy');
	await page.waitForSelector('#policy-text:not(:empty)');
	const text = await page.textContent('#policy-text');
	const rl = await page.textContent('#reload');
	check('the policy page shows the policy in force and the last reload',
	    /mode approve/.test(text) && /OK/.test(rl), rl);
	await shot(page, '8-policy');
}

// The sim carries vm-2 (hv02) -> vm-4 (hv04) at 24 MiB/s: the traffic
// page lists it among the top talkers, between the right hosts, and the
// host matrix shows hv02 -> hv04.
async function trafficChecks(page) {
	await open(page, '#/traffic');
	let row = null;
	try {
		row = await page.waitForSelector('#talkers tr[data-pair="vm-2>vm-4"]',
		    { timeout: 15000 });
	} catch (e) {
		note('the API: ' + JSON.stringify((await api('/api/v1/traffic')).pairs));
	}
	const text = row ? (await row.textContent()).replace(/\s+/g, ' ') : '';
	check('the traffic page lists the sim\'s heavy pair vm-2 -> vm-4 (' +
	    text + ')', /vm-2.*hv02.*vm-4.*hv04.*24 MiB\/s/.test(text) &&
	    /across hosts/i.test(text));
	const first = await page.$eval('#talkers tbody tr', tr => tr.dataset.pair)
	    .catch(() => null);
	check('as the top talker', first === 'vm-2>vm-4', first);
	const bps = await page.$eval('#traffic-matrix rect[data-from="hv02"]' +
	    '[data-to="hv04"]', r => Number(r.dataset.bps)).catch(() => -1);
	check('the host matrix shows hv02 -> hv04 (' + bps + ' bytes/s)',
	    Math.abs(bps - 25165824) < 0.01 * 25165824);
	const facts = await page.textContent('#traffic-facts');
	check('and the cluster\'s cross-host share', /share across hosts/.test(facts),
	    facts);
	await noOverflow(page, 'at 1280x800 the traffic page');
	await shot(page, '11-traffic');
}

// Operator action from a host page: hv04 into maintenance.
async function maintenanceChecks(page) {
	await open(page, '#/host/hv04');
	await page.click('#maint-btn');
	await page.waitForSelector('#msg.ok');
	const m = await api('/api/v1/maintenance');
	check('entering maintenance from the host page, with the token, works',
	    m.includes('hv04'), JSON.stringify(m));
	await open(page, '#/');
	await page.waitForSelector('#heatmap [data-host="hv04"][data-maintenance=' +
	    '"true"]', { timeout: 10000 });
	check('the overview marks hv04 in maintenance', true);
}

// ballast-sim mutes hv03 after a while: its tile turns stale.
async function staleChecks(page) {
	await open(page, '#/');
	try {
		await page.waitForSelector('#heatmap [data-host="hv03"][data-stale=' +
		    '"true"]', { timeout: 60000 });
		check('a host that stops reporting is shown stale on the overview',
		    true);
	} catch (e) {
		notok('a host that stops reporting is shown stale on the overview');
	}
	await shot(page, '10-overview-stale-maintenance');
}

async function narrowChecks(browser, problems) {
	const page = await browser.newPage();
	await page.setViewportSize(NARROW);
	problems.push(watch(page, 'narrow'));
	for (const [hash, name] of [['#/', 'overview'], ['#/plan', 'plan'],
	    ['#/migrations', 'migrations'], ['#/host/hv01', 'host page'],
	    ['#/traffic', 'traffic page']]) {
		await open(page, hash);
		await noOverflow(page, 'on a narrow screen (390 px) the ' + name);
		await shot(page, '9-narrow-' + name.replace(' ', '-'));
	}
	await page.close();
}

async function main() {
	fs.mkdirSync(SCREENS, { recursive: true });
	const browser = await launch(WORK, WIDE);
	const problems = [];
	try {
		const page = browser.pages()[0] || await browser.newPage();
		problems.push(watch(page, 'wide'));
		await overviewChecks(page);
		await noOverflow(page, 'at 1280x800 the overview');
		await hostChecks(page);
		await vmChecks(page);
		const rec = await planChecks(page);
		await approveChecks(page, rec);
		await migrationChecks(page);
		await coolChecks(page);
		await policyChecks(page);
		await trafficChecks(page);
		await maintenanceChecks(page);
		await narrowChecks(browser, problems);
		await staleChecks(page);
	} catch (e) {
		notok('the browser session ran to its end', e.stack);
	}
	const seen = problems.flatMap(p => p());
	check('no console errors, page errors or failed requests', !seen.length,
	    seen.join('\n'));
	await browser.close();
	process.exit(failures() ? 1 : 0);
}

main();
