// SPDX-License-Identifier: ISC
// Shared by the browser tests: Debian's chromium driven by playwright-core
// (no browser download), a fresh profile per run, TAP-like "ok - " /
// "not ok - " lines as tests/run.sh counts them, and a record of every
// console error, page error and failed request.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];

let failures = 0;

function ok(what) {
	console.log('ok - ' + what);
}

function notok(what, detail) {
	failures++;
	console.log('not ok - ' + what);
	if (detail)
		for (const l of String(detail).split('\n'))
			console.log('# ' + l);
}

function check(what, cond, detail) {
	if (cond)
		ok(what);
	else
		notok(what, detail);
	return !!cond;
}

function note(text) {
	console.log('# ' + text);
}

// Launches chromium on a fresh profile (--user-data-dir) under dir (a
// temporary folder when not given).  Returns the browser context.
async function launch(dir, viewport) {
	const profile = fs.mkdtempSync(path.join(dir || os.tmpdir(), 'chromium-'));
	return chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: FLAGS,
		viewport: viewport || { width: 1280, height: 800 },
		timeout: 60000,
	});
}

// Records what a page reports as wrong; problems() lists them.
function watch(page, label) {
	const seen = [];
	page.on('console', m => {
		if (m.type() === 'error')
			seen.push(label + ': console error: ' + m.text());
	});
	page.on('pageerror', e => seen.push(label + ': page error: ' + e.message));
	page.on('requestfailed', r => {
		const f = r.failure();
		// a blob URL revoked after use, or a navigation away, is no fault
		if (f && /ERR_ABORTED/.test(f.errorText))
			return;
		seen.push(label + ': request failed: ' + r.url() + ' ' +
		    (f ? f.errorText : ''));
	});
	page.on('response', r => {
		if (r.status() >= 400)
			seen.push(label + ': HTTP ' + r.status() + ' for ' + r.url());
	});
	return () => seen.slice();
}

module.exports = { FLAGS, ok, notok, check, note, launch, watch,
	failures: () => failures };
