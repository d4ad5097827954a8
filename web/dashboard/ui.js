// SPDX-License-Identifier: ISC
// Small DOM building blocks.  Text always goes in as text nodes (never as
// HTML), so names from the cluster cannot inject markup; styles are set
// through the CSSOM, which the Content-Security-Policy allows.

import { getImage } from './api.js';

// h('a', {href: '#/', class: 'x'}, 'text', child, [more]) -> element
export function h(tag, attrs, ...kids) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, kids);
	return el;
}

function append(el, kids) {
	for (const k of kids) {
		if (k === undefined || k === null || k === false)
			continue;
		if (Array.isArray(k))
			append(el, k);
		else if (k instanceof Node)
			el.appendChild(k);
		else
			el.appendChild(document.createTextNode(String(k)));
	}
}

// Replaces el's children.
export function fill(el, ...kids) {
	el.replaceChildren();
	append(el, kids);
	return el;
}

// Green at 0, yellow at 0.6, red at 1 and above.
export function heatColour(u) {
	if (typeof u !== 'number' || !isFinite(u))
		return 'hsl(0, 0%, 80%)';
	const x = Math.max(0, Math.min(1, u));
	return 'hsl(' + Math.round(120 * (1 - x)) + ', 70%, ' +
	    Math.round(80 - 25 * x) + '%)';
}

export function badge(text, cls) {
	return h('span', { class: 'badge ' + (cls || text) }, text);
}

// A horizontal bar from 0 to 1 with a mark at `level` when given.
export function bar(u, level) {
	const fillEl = h('span', { class: 'bar-fill' });
	fillEl.style.width = Math.max(0, Math.min(100, u * 100)) + '%';
	fillEl.style.background = heatColour(u);
	const b = h('span', { class: 'bar', title: (u * 100).toFixed(1) + ' %' },
	    fillEl);
	if (typeof level === 'number') {
		const m = h('span', { class: 'bar-mark' });
		m.style.left = Math.min(100, level * 100) + '%';
		b.appendChild(m);
	}
	return b;
}

// A table: cols = [[title, row => cell, class?]], rows = array.
export function table(cols, rows, empty, rowAttrs) {
	if (!rows.length)
		return h('p', { class: 'empty' }, empty || 'nothing yet');
	const head = h('tr', {}, cols.map(c => h('th', { class: c[2] }, c[0])));
	const body = rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {},
	    cols.map(c => h('td', { class: c[2] }, c[1](r)))));
	return h('div', { class: 'table-wrap' },
	    h('table', {}, h('thead', {}, head), h('tbody', {}, body)));
}

export const RANGES = ['-1h', '-6h', '-1d', '-7d', '-30d', '-1y'];

// Buttons for the graphs' time range; onpick(start) on a click.
export function rangePicker(current, onpick) {
	const box = h('div', { class: 'range', role: 'group',
	    'aria-label': 'time range' });
	for (const r of RANGES) {
		box.appendChild(h('button', {
			type: 'button', class: r === current ? 'on' : '',
			'aria-pressed': r === current ? 'true' : 'false',
			dataset: { range: r },
			onclick: () => onpick(r),
		}, r.slice(1)));
	}
	return box;
}

// A graph from /graph/...; reload() fetches it again (the URL may change).
export function graph(title, urlOf) {
	const img = h('img', { alt: title, class: 'graph-img' });
	const note = h('p', { class: 'graph-note' }, 'loading…');
	const fig = h('figure', { class: 'graph' }, note, img,
	    h('figcaption', {}, title));
	let url = null;
	img.hidden = true;
	fig.reload = async () => {
		const width = Math.max(300, Math.min(1600,
		    Math.round((fig.clientWidth || 600) / 50) * 50));
		let u;
		try {
			u = await getImage(urlOf(width));
		} catch (e) {
			fill(note, 'graph unavailable: ' + e.message);
			note.hidden = false;
			return;
		}
		if (u === null) {
			fill(note, 'no history yet');
			note.hidden = false;
			img.hidden = true;
			return;
		}
		img.onload = () => {
			fig.dataset.loaded = String(img.naturalWidth > 0);
		};
		img.src = u;
		if (url)
			URL.revokeObjectURL(url);
		url = u;
		img.hidden = false;
		note.hidden = true;
	};
	return fig;
}

// A status line for results of actions.
export function say(text, kind) {
	const box = document.getElementById('msg');
	if (!box)
		return;
	fill(box, text);
	box.className = 'msg ' + (kind || 'info');
	box.hidden = false;
	clearTimeout(say.timer);
	say.timer = setTimeout(() => { box.hidden = true; }, 8000);
}
