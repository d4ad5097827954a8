// SPDX-License-Identifier: ISC
// The dashboard's pages.  Each is a function (root, param, ctx) that
// builds the page once and returns { update(state), graphs() }: update
// redraws the live parts from the latest poll, graphs reloads the images.
// ctx: { act(path, body, done) } for operator actions, and `range`.

import { getJSON, enc, pct, bytes, rate, secs, when, ago } from './api.js';
import { h, fill, heatColour, badge, bar, table, rangePicker, graph } from './ui.js';

const ACTIVE = ['planned', 'sent', 'migrating', 'verifying'];

export function hotLevel(policy, res) {
	const t = policy && policy.hot && policy.hot[res];
	return t ? t.level : null;
}

export function isHot(host, policy) {
	if (host.stale || !host.has_rates)
		return false;
	const c = hotLevel(policy, 'cpu'), m = hotLevel(policy, 'mem');
	return (c !== null && host.cpu_util >= c) ||
	    (m !== null && host.mem_util >= m);
}

export const hostLink = n => h('a', { href: '#/host/' + enc(n) }, n);
export const vmLink = (name, uuid) => uuid ?
    h('a', { href: '#/vm/' + enc(uuid) }, name || uuid) : (name || '–');

export function section(title, ...kids) {
	return h('section', { class: 'panel' }, h('h2', {}, title), kids);
}

export function card(label, value, cls) {
	return h('div', { class: 'card ' + (cls || '') },
	    h('div', { class: 'card-value' }, value),
	    h('div', { class: 'card-label' }, label));
}

function stateBadge(s) {
	return badge(s, 'st-' + s);
}

function duration(m) {
	const end = m.ended_at || (ACTIVE.includes(m.state) ? Date.now() : 0);
	return end && m.planned_at ? secs((end - m.planned_at) / 1000) : '–';
}

// Graph section with a range picker; returns [element, reload].
function graphSection(title, ctx, specs) {
	const figs = specs.map(s => graph(s[0], w => s[1](w, ctx.range)));
	const box = h('div', { class: 'graphs' }, figs);
	const picker = h('div', {});
	const reload = () => figs.forEach(f => f.reload());
	const pick = r => {
		ctx.range = r;
		fill(picker, rangePicker(r, pick));
		reload();
	};
	fill(picker, rangePicker(ctx.range, pick));
	return [section(title, picker, box), reload];
}

function migTable(migs, empty) {
	return table([
		['#', m => String(m.id), 'num'],
		['when', m => when(m.planned_at)],
		['VM', m => vmLink(m.vm, m.vm_uuid)],
		['from → to', m => [hostLink(m.from), ' → ', hostLink(m.to)]],
		['reason', m => m.reason],
		['state', m => stateBadge(m.state)],
		['took', m => duration(m), 'num'],
		['outcome', m => m.error || m.outcome || ''],
	], migs, empty || 'no migrations yet',
	m => ({ dataset: { mig: m.id, state: m.state } }));
}

/* --- overview ------------------------------------------------------ */

function heatTile(host, st) {
	const hot = isHot(host, st.policy), maint = st.maint.has(host.name);
	const cls = ['tile', hot ? 'hot' : '', host.stale ? 'stale' : '',
	    maint ? 'maint' : ''].join(' ');
	const cell = (label, u) => {
		const c = h('div', { class: 'cell' },
		    h('span', { class: 'cell-label' }, label),
		    h('span', { class: 'cell-value' }, pct(u)));
		c.style.background = host.stale ? '' : heatColour(u);
		return c;
	};
	return h('a', { class: cls, href: '#/host/' + enc(host.name),
	    dataset: { host: host.name, hot: String(hot), stale: String(host.stale),
	    maintenance: String(maint) },
	    title: host.name + ': CPU ' + pct(host.cpu_util) + ', memory ' +
	    pct(host.mem_util) },
	    h('div', { class: 'tile-head' }, h('strong', {}, host.name),
	    hot ? badge('hot') : null, host.stale ? badge('stale') : null,
	    maint ? badge('maintenance', 'maint') : null),
	    h('div', { class: 'cells' }, cell('CPU', host.cpu_util),
	    cell('mem', host.mem_util)),
	    h('div', { class: 'tile-foot' }, host.vms + (host.vms === 1 ? ' VM · ' :
	    ' VMs · ') + host.cpus + ' CPUs'));
}

export function overview(root, param, ctx) {
	const counts = h('div', { class: 'cards', id: 'counts' });
	const heat = h('div', { class: 'heatmap', id: 'heatmap' });
	const latest = h('div', { id: 'latest' });
	const legend = h('p', { class: 'legend' }, 'Each host: CPU and memory ' +
	    'in use (green idle, red full); ', badge('hot'),
	    ' over the policy\'s hot level, ', badge('stale'), ' no recent ' +
	    'report, ', badge('maintenance', 'maint'), ' being emptied.');
	const [graphs, reload] = graphSection('Cluster over time', ctx, [
		['imbalance (CPU, coefficient of variation)', (w, r) =>
		    '/graph/cluster.png?metric=imbalance&start=' + r + '&width=' +
		    w + '&height=240'],
		['migrations', (w, r) => '/graph/cluster.png?metric=migrations' +
		    '&start=' + r + '&width=' + w + '&height=240'],
	]);
	fill(root, h('h1', {}, 'Overview'), counts,
	    section('Hosts', legend, heat), graphs,
	    section('Latest migrations', latest));
	return {
		graphs: reload,
		update(st) {
			const hosts = st.hosts.slice().sort((a, b) =>
			    a.name.localeCompare(b.name, undefined, { numeric: true }));
			const hot = hosts.filter(x => isHot(x, st.policy)).length;
			const pending = st.plan ? st.plan.recommendations.filter(r =>
			    r.state === 'pending').length : 0;
			const active = st.migs.filter(m => ACTIVE.includes(m.state)).length;
			fill(counts,
			    card('hosts', String(hosts.length)),
			    card('hot', String(hot), hot ? 'warn' : ''),
			    card('stale', String(st.status.hosts_stale),
			    st.status.hosts_stale ? 'warn' : ''),
			    card('in maintenance', String(st.maint.size)),
			    card('VMs', String(st.status.vms)),
			    card('mode', st.plan ? st.plan.mode : '–'),
			    card('waiting for approval', String(pending),
			    pending ? 'attn' : ''),
			    card('migrating now', String(active)),
			    card('imbalance (planner)', st.plan ?
			    st.plan.imbalance_before.toFixed(2) : '–'));
			fill(heat, hosts.length ? hosts.map(x => heatTile(x, st)) :
			    h('p', { class: 'empty' }, 'no host has reported yet'));
			fill(latest, migTable(st.migs.slice(0, 8)),
			    st.migs.length > 8 ? h('p', {}, h('a',
			    { href: '#/migrations' }, 'all migrations')) : null);
		},
	};
}

/* --- host ---------------------------------------------------------- */

function vmTable(vms) {
	return table([
		['VM', v => vmLink(v.name, v.uuid)],
		['state', v => v.state],
		['vCPUs', v => String(v.vcpus), 'num'],
		['CPU', v => [bar(v.cpu_util), ' ', pct(v.cpu_util)]],
		['memory', v => bytes(v.mem_bytes), 'num'],
		['disk r/w', v => rate(v.disk_rd_bps) + ' / ' + rate(v.disk_wr_bps),
		    'num'],
		['net rx/tx', v => rate(v.net_rx_bps) + ' / ' + rate(v.net_tx_bps),
		    'num'],
	], vms, 'no VMs on this host', v => ({ dataset: { vm: v.name } }));
}

const HOST_METRICS = [['CPU', 'cpu'], ['memory', 'mem'], ['network', 'net'],
    ['disk', 'disk'], ['vCPU delay', 'vcpu_delay']];

export function hostPage(root, name, ctx) {
	const head = h('div', { class: 'page-head' });
	const facts = h('div', { class: 'cards' });
	const actions = h('div', { class: 'actions' });
	const vms = h('div', {});
	const hist = h('div', {});
	const [graphs, reload] = graphSection('History', ctx, HOST_METRICS.map(m =>
	    [m[0], (w, r) => '/graph/host/' + enc(name) + '.png?metric=' + m[1] +
	    '&start=' + r + '&width=' + w + '&height=220']));
	fill(root, head, facts, actions, section('VMs', vms), graphs,
	    section('Migrations from and to ' + name, hist));
	let maint = null;
	const toggle = () => ctx.act('/api/v1/maintenance/' + enc(name) + '/' +
	    (maint ? 'exit' : 'enter'), undefined, (maint ? 'left' : 'entered') +
	    ' maintenance: ' + name);
	return {
		graphs: reload,
		async update(st) {
			let x;
			try {
				x = await getJSON('/api/v1/hosts/' + enc(name));
			} catch (e) {
				fill(head, h('h1', {}, name), h('p', { class: 'error' },
				    e.message));
				return;
			}
			const hot = isHot(x, st.policy);
			maint = st.maint.has(name);
			fill(head, h('h1', {}, 'Host ', x.name, ' ', hot ? badge('hot') :
			    null, x.stale ? badge('stale') : null, maint ?
			    badge('maintenance', 'maint') : null));
			fill(facts, card('CPU', pct(x.cpu_util), hot ? 'warn' : ''),
			    card('memory', pct(x.mem_util)),
			    card('CPUs', x.cpus + ' × ' + x.cpu_mhz + ' MHz'),
			    card('memory size', bytes(x.mem_bytes)),
			    card('VMs', String(x.vms)),
			    card('CPU steal', pct(x.cpu_steal)),
			    card('last report', secs(x.last_report_age_s) + ' ago',
			    x.stale ? 'warn' : ''));
			fill(actions, h('button', { type: 'button', class: 'op',
			    id: 'maint-btn', onclick: toggle }, maint ?
			    'Leave maintenance' : 'Enter maintenance (evacuate)'));
			fill(vms, vmTable(x.vm_list));
			fill(hist, migTable(st.migs.filter(m => m.from === name ||
			    m.to === name), 'no migration from or to this host'));
		},
	};
}

/* --- VM ------------------------------------------------------------ */

export function vmPage(root, uuid, ctx) {
	const head = h('div', { class: 'page-head' });
	const facts = h('div', { class: 'cards' });
	const move = h('div', { class: 'actions' });
	const hist = h('div', {});
	const [graphs, reload] = graphSection('History', ctx, HOST_METRICS.map(m =>
	    [m[0], (w, r) => '/graph/vm/' + enc(uuid) + '.png?metric=' + m[1] +
	    '&start=' + r + '&width=' + w + '&height=220']));
	const sel = h('select', { id: 'move-to', 'aria-label': 'destination host' });
	const go = () => ctx.act('/api/v1/migrate', { vm: uuid, host: sel.value },
	    'migration requested to ' + sel.value);
	fill(move, h('label', { for: 'move-to' }, 'Move to '), sel,
	    h('button', { type: 'button', class: 'op', onclick: go }, 'Migrate'));
	fill(root, head, facts, move, graphs, section('Migrations', hist));
	let hostsSeen = '';
	return {
		graphs: reload,
		async update(st) {
			let v;
			try {
				v = await getJSON('/api/v1/vms/' + enc(uuid));
			} catch (e) {
				fill(head, h('h1', {}, 'VM'), h('p', { class: 'error' },
				    e.message));
				return;
			}
			fill(head, h('h1', {}, 'VM ', v.name), h('p', { class: 'sub' },
			    v.uuid, ' on ', v.host ? hostLink(v.host) : 'no host'));
			fill(facts, card('state', v.state), card('vCPUs', String(v.vcpus)),
			    card('CPU', pct(v.cpu_util)), card('CPU MHz',
			    Math.round(v.cpu_mhz) + ' MHz'),
			    card('memory', bytes(v.mem_bytes)),
			    card('disk r/w', rate(v.disk_rd_bps) + ' / ' +
			    rate(v.disk_wr_bps)),
			    card('net rx/tx', rate(v.net_rx_bps) + ' / ' +
			    rate(v.net_tx_bps)));
			const names = st.hosts.map(x => x.name).filter(n => n !== v.host)
			    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
			if (names.join() !== hostsSeen) {
				hostsSeen = names.join();
				fill(sel, names.map(n => h('option', { value: n }, n)));
			}
			fill(hist, migTable(st.migs.filter(m => m.vm_uuid === uuid),
			    'this VM has not been migrated'));
		},
	};
}

export function vmsPage(root, param, ctx) {
	const filter = h('input', { type: 'search', id: 'vm-filter',
	    placeholder: 'filter by name or host', 'aria-label': 'filter' });
	const list = h('div', {});
	let last = null;
	const draw = () => {
		if (!last)
			return;
		const q = filter.value.trim().toLowerCase();
		const vms = last.filter(v => !q || v.name.toLowerCase().includes(q) ||
		    (v.host || '').toLowerCase().includes(q));
		fill(list, table([
			['VM', v => vmLink(v.name, v.uuid)],
			['host', v => v.host ? hostLink(v.host) : '–'],
			['state', v => v.state],
			['vCPUs', v => String(v.vcpus), 'num'],
			['CPU', v => [bar(v.cpu_util), ' ', pct(v.cpu_util)]],
			['memory', v => bytes(v.mem_bytes), 'num'],
		], vms, 'no VMs'));
	};
	filter.addEventListener('input', draw);
	fill(root, h('h1', {}, 'VMs'), filter, list);
	return {
		async update() {
			try {
				last = await getJSON('/api/v1/vms');
			} catch (e) {
				fill(list, h('p', { class: 'error' }, e.message));
				return;
			}
			last.sort((a, b) => a.name.localeCompare(b.name, undefined,
			    { numeric: true }));
			draw();
		},
	};
}

/* --- plan ---------------------------------------------------------- */

function beforeAfter(label, before, after, level) {
	return h('div', { class: 'ba' }, h('span', { class: 'ba-label' }, label),
	    bar(before, level), h('span', { class: 'ba-num' }, pct(before)),
	    h('span', { class: 'arrow' }, '→'), bar(after, level),
	    h('span', { class: 'ba-num' }, pct(after)));
}

function recCard(r, plan, st, ctx) {
	const lvl = hotLevel(st.policy, 'cpu');
	const alts = (plan.rejected || []).filter(x => x.vm === r.vm);
	const buttons = r.state === 'pending' && plan.mode === 'approve' ?
	    h('div', { class: 'actions' },
	    h('button', { type: 'button', class: 'op approve',
	    dataset: { approve: r.id }, onclick: () => ctx.act('/api/v1/plan/' +
	    r.id + '/approve', undefined, 'approved recommendation ' + r.id) },
	    'Approve'),
	    h('button', { type: 'button', class: 'op reject',
	    dataset: { reject: r.id }, onclick: () => ctx.act('/api/v1/plan/' +
	    r.id + '/reject', undefined, 'rejected recommendation ' + r.id) },
	    'Reject')) : null;
	return h('article', { class: 'rec', dataset: { rec: r.id, state: r.state,
	    vm: r.vm } },
	    h('header', {}, h('strong', {}, '#' + r.id + ' '),
	    vmLink(r.vm, r.vm_uuid), ': ', hostLink(r.from), ' → ', hostLink(r.to),
	    ' ', stateBadge(r.state), ' ', badge(r.reason, 'reason'),
	    r.rule ? badge('rule ' + r.rule, 'reason') : null),
	    h('p', { class: 'explain' }, r.explain),
	    h('div', { class: 'bas' },
	    beforeAfter(r.from + ' CPU', r.src_before, r.src_after, lvl),
	    beforeAfter(r.to + ' CPU', r.dst_before, r.dst_after, lvl)),
	    h('p', { class: 'facts' }, 'imbalance ', r.imbalance_before.toFixed(3),
	    ' → ', r.imbalance_after.toFixed(3), ' · predicted migration time ',
	    secs(r.predicted_time_s), ', downtime ', secs(r.predicted_downtime_s),
	    r.migration ? [' · ', h('a', { href: '#/migrations' }, 'migration #' +
	    r.migration)] : null),
	    alts.length ? h('details', { class: 'alts' }, h('summary', {},
	    alts.length + ' alternative' + (alts.length > 1 ? 's' : '') +
	    ' turned down'), h('ul', {}, alts.map(a => h('li', {},
	    a.to ? [hostLink(a.to), ': '] : null, a.why)))) : null,
	    buttons);
}

export function planPage(root, param, ctx) {
	const facts = h('div', { class: 'cards' });
	const recs = h('div', { id: 'recs' });
	const notes = h('div', {});
	const rej = h('div', {});
	fill(root, h('h1', {}, 'Plan'), facts, section('Recommendations', recs),
	    section('Notes', notes), section('Candidates turned down', rej));
	return {
		update(st) {
			const p = st.plan;
			if (!p) {
				fill(recs, h('p', { class: 'empty' }, 'no planner'));
				return;
			}
			fill(facts, card('mode', p.mode, p.mode === 'approve' ? 'attn' : ''),
			    card('passes', String(p.passes)),
			    card('last pass', ago(p.last_pass)),
			    card('hot hosts', String(p.hot_hosts), p.hot_hosts ? 'warn' : ''),
			    card('still hot after plan', String(p.unrelieved)),
			    card('imbalance', p.imbalance_before.toFixed(3) + ' → ' +
			    p.imbalance_after.toFixed(3)));
			const list = p.recommendations.slice().sort((a, b) =>
			    (a.state === 'pending' ? 0 : 1) - (b.state === 'pending' ? 0 : 1) ||
			    b.id - a.id);
			fill(recs, list.length ? list.map(r => recCard(r, p, st, ctx)) :
			    h('p', { class: 'empty' }, 'nothing to do: the planner ' +
			    'recommends no move'), p.mode === 'approve' || !list.length ?
			    null : h('p', { class: 'sub' }, 'Mode ' + p.mode + ': ' +
			    (p.mode === 'automatic' ? 'moves run at once.' :
			    'recommendations only.')));
			fill(notes, p.notes.length ? h('ul', {}, p.notes.map(n =>
			    h('li', {}, n))) : h('p', { class: 'empty' }, 'none'));
			fill(rej, table([
				['VM', x => x.vm],
				['to', x => x.to ? hostLink(x.to) : '–'],
				['why not', x => x.why],
			], p.rejected || [], 'none'), p.rejected_total >
			    (p.rejected || []).length ? h('p', { class: 'sub' },
			    p.rejected_total + ' in all; the first ' +
			    p.rejected.length + ' are kept') : null);
		},
	};
}

/* --- migrations ---------------------------------------------------- */

function timeline(migs) {
	if (!migs.length)
		return h('p', { class: 'empty' }, 'no migrations yet');
	const now = Date.now();
	const t0 = Math.min(...migs.map(m => m.planned_at || now));
	const t1 = Math.max(...migs.map(m => m.ended_at || now), t0 + 1000);
	const rows = migs.map(m => {
		const b = h('span', { class: 'tl-bar st-' + m.state,
		    title: m.vm + ' ' + m.state + ', ' + duration(m) });
		const s = m.planned_at || now, e = m.ended_at || now;
		b.style.left = (100 * (s - t0) / (t1 - t0)) + '%';
		b.style.width = Math.max(0.8, 100 * (e - s) / (t1 - t0)) + '%';
		return h('div', { class: 'tl-row', dataset: { mig: m.id } },
		    h('span', { class: 'tl-label' }, '#' + m.id + ' ' + m.vm),
		    h('span', { class: 'tl-lane' }, b));
	});
	return h('div', { class: 'timeline' }, h('div', { class: 'tl-axis' },
	    h('span', {}, when(t0)), h('span', {}, when(t1))), rows);
}

export function migrationsPage(root, param, ctx) {
	const tl = h('div', { id: 'timeline' });
	const list = h('div', { id: 'migrations' });
	fill(root, h('h1', {}, 'Migrations'), section('Timeline', tl),
	    section('All migrations, newest first', list));
	return {
		update(st) {
			fill(tl, timeline(st.migs.slice(0, 40)));
			fill(list, table([
				['#', m => String(m.id), 'num'],
				['planned', m => when(m.planned_at)],
				['VM', m => vmLink(m.vm, m.vm_uuid)],
				['from → to', m => [hostLink(m.from), ' → ', hostLink(m.to)]],
				['reason', m => m.reason],
				['state', m => [stateBadge(m.state), ACTIVE.includes(m.state) ?
				    ' ' + m.progress + ' %' : '']],
				['took', m => duration(m), 'num'],
				['predicted', m => secs(m.predicted_time_s) + ' / ' +
				    secs(m.predicted_downtime_s) + ' down', 'num'],
				['outcome', m => m.error || m.outcome || ''],
				['why', m => h('details', {}, h('summary', {}, 'explain'),
				    h('p', {}, m.explain))],
				['', m => ACTIVE.includes(m.state) ? h('button', {
				    type: 'button', class: 'op', onclick: () => ctx.act(
				    '/api/v1/migrations/' + m.id + '/cancel', undefined,
				    'cancelling migration ' + m.id) }, 'Cancel') : ''],
			], st.migs, 'no migrations yet',
			m => ({ dataset: { mig: m.id, state: m.state } })));
		},
	};
}

/* --- policy -------------------------------------------------------- */

export function policyPage(root) {
	const facts = h('div', { class: 'cards' });
	const file = h('p', { class: 'sub file' });
	const levels = h('div', {});
	const reload = h('div', { id: 'reload' });
	const text = h('pre', { class: 'policy', id: 'policy-text' });
	fill(root, h('h1', {}, 'Policy'), facts, file,
	    section('Last reload', reload),
	    section('Hot and cool levels', levels), section('In force', text));
	let shown = null;
	return {
		update(st) {
			const p = st.policy;
			if (!p)
				return;
			fill(facts, card('mode', p.mode), card('pass every',
			    secs(p.interval_s)));
			fill(file, 'From ', p.file ? h('code', {}, p.file) :
			    'the built-in defaults', '.');
			fill(reload, p.reload.ok ? h('p', { class: 'ok' }, p.reload.time ?
			    'reloaded ' + when(p.reload.time) + ': OK' : 'loaded at start: OK') :
			    h('p', { class: 'error' }, 'the last reload (' +
			    when(p.reload.time) + ') failed; the running policy stays: ',
			    h('code', {}, p.reload.error)));
			const res = Object.keys(p.hot || {});
			fill(levels, table([
				['resource', k => k],
				['hot above', k => p.hot[k] ? pct(p.hot[k].level) + ' for ' +
				    secs(p.hot[k].for_s) : 'off'],
				['cool below', k => p.cool[k] ? pct(p.cool[k].level) + ' for ' +
				    secs(p.cool[k].for_s) : 'off'],
			], res, 'none'));
			if (shown !== p.text) {
				shown = p.text;
				fill(text, p.text);
			}
		},
	};
}
