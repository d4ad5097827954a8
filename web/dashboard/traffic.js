// SPDX-License-Identifier: ISC
// The traffic page: the cluster's VM-to-VM traffic (GET /api/v1/traffic)
// -- its figures, the top talkers, and a host-by-host matrix drawn in
// SVG (row: the sending host, column: the receiving one; the diagonal
// stays within a host), with each host's traffic to the others.

import { getJSON, pct, rate } from './api.js';
import { h, fill, table, badge } from './ui.js';
import { section, card, hostLink, vmLink } from './pages.js';

// The SVG namespace, as the HTML parser assigns it to an <svg> element
// (so that no file here spells out a URL).
const SVG = (() => {
	const box = document.createElement('div');
	box.innerHTML = '<svg></svg>';
	return box.firstChild.namespaceURI;
})();
const TOP = 50;

function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
	return el;
}

// Host x host bytes/s from the pairs whose both hosts are known.
function hostMatrix(t) {
	const names = t.hosts.map(x => x.name);
	const at = new Map(names.map((n, i) => [n, i]));
	const m = names.map(() => names.map(() => 0));
	for (const p of t.pairs)
		if (at.has(p.src_host) && at.has(p.dst_host))
			m[at.get(p.src_host)][at.get(p.dst_host)] += p.bps;
	return { names, m };
}

// The matrix as SVG: a cell's blue deepens with its share of the peak.
function matrixSvg(t) {
	const { names, m } = hostMatrix(t);
	const n = names.length, cell = 44, pad = 56;
	const peak = Math.max(1, ...m.flat());
	const size = pad + n * cell;
	const svg = s('svg', { id: 'traffic-matrix', viewBox: '0 0 ' + size + ' ' + size,
	    width: size, height: size, role: 'img',
	    'aria-label': 'traffic between hosts, sender by row' });
	names.forEach((name, i) => {
		svg.appendChild(s('text', { x: pad - 4, y: pad + i * cell + cell * 0.65,
		    'text-anchor': 'end', 'font-size': 11 }, name));
		svg.appendChild(s('text', { x: pad + i * cell + cell / 2, y: pad - 6,
		    'text-anchor': 'middle', 'font-size': 11 }, name));
	});
	m.forEach((row, i) => row.forEach((v, j) => {
		const x = v / peak;
		const r = s('rect', { x: pad + j * cell, y: pad + i * cell,
		    width: cell - 2, height: cell - 2,
		    fill: v > 0 ? 'hsl(210, 80%, ' + Math.round(92 - 52 * x) + '%)' : '#f3f3f3',
		    stroke: i === j ? '#888' : 'none', 'data-from': names[i],
		    'data-to': names[j], 'data-bps': Math.round(v) });
		r.appendChild(s('title', {}, names[i] + ' → ' + names[j] + ': ' + rate(v)));
		svg.appendChild(r);
	}));
	return svg;
}

export function trafficPage(root) {
	const facts = h('div', { class: 'cards', id: 'traffic-facts' });
	const talkers = h('div', { id: 'talkers' });
	const matrix = h('div', { class: 'table-wrap', id: 'matrix' });
	const hosts = h('div', {});
	fill(root, h('h1', {}, 'Traffic'), facts,
	    section('Top talkers', talkers),
	    section('Between hosts (sender by row)', matrix),
	    section('Sent to other hosts', hosts));
	return {
		async update() {
			let t;
			try {
				t = await getJSON('/api/v1/traffic?top=' + TOP);
			} catch (e) {
				fill(talkers, h('p', { class: 'error' }, e.message));
				return;
			}
			const c = t.cluster;
			fill(facts, card('VM to VM', rate(c.vm_bps)),
			    card('across hosts', rate(c.cross_bps)),
			    card('share across hosts', pct(c.cross_fraction),
			    c.cross_fraction > 0.5 ? 'warn' : ''),
			    card('to or from outside', rate(c.external_bps)));
			fill(talkers, table([
				['from', p => vmLink(p.src, p.src_uuid)],
				['on', p => p.src_host ? hostLink(p.src_host) : '–'],
				['to', p => vmLink(p.dst, p.dst_uuid)],
				['on', p => p.dst_host ? hostLink(p.dst_host) : '–'],
				['rate', p => rate(p.bps), 'num'],
				['', p => p.cross_host ? badge('across hosts', 'warn') : ''],
			], t.pairs, 'no VM-to-VM traffic reported (no host captures ' +
			    'traffic, or none yet)', p => ({ dataset: { pair: p.src + '>' +
			    p.dst, cross: String(p.cross_host) } })));
			fill(matrix, t.hosts.length ? matrixSvg(t) : 'no hosts');
			fill(hosts, table([
				['host', x => hostLink(x.name)],
				['sent to other hosts', x => rate(x.cross_bps), 'num'],
			], t.hosts, 'no hosts'));
		},
	};
}
