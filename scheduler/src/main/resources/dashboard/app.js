// cf-mesos dashboard: reads /v1/status every few seconds and redraws. Plain DOM, no libraries, no other origin.
// Every value from the server is put on the page as text (textContent, title), never as markup: process guids,
// reasons and host names come from requests and agents.
'use strict';

(function () {
  const REFRESH_MS = 3000;
  const TIMEOUT_MS = 5000;
  // the newest entries of each list the page shows; counts are totals whatever this is
  const RECENT = 20;
  const SHOWN_FAILURES = 12;
  const SHOWN_PLACED = 8;
  const SHOWN_PENDING = 8;
  const SHOWN_REASONS = 8;
  // beyond this many agents the tiles drop their bars and keep the numbers, so a big cluster fits a screen
  const COMPACT_AGENTS = 24;

  // ColorBrewer YlOrRd-like ramp (sequential, readable for the common colour-vision deficiencies), 0..1 of memory
  const RAMP = [[247, 251, 255], [255, 237, 160], [254, 178, 76], [252, 78, 42], [189, 0, 38], [128, 0, 38]];

  const $ = (id) => document.getElementById(id);

  let lastOk = null;     // Date of the last good answer (browser clock)
  let skewMs = 0;        // server clock minus browser clock
  let lastStatus = null;

  // ---- small helpers ----

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k === 'data') Object.assign(e.dataset, v);
        else e[k] = v;
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function setText(id, text) {
    const e = $(id);
    if (e.textContent !== text) e.textContent = text;
  }

  const nf = new Intl.NumberFormat('en');
  const num = (n) => (n === null || n === undefined ? '–' : nf.format(n));

  function mb(n) {
    if (n === null || n === undefined) return '–';
    if (Math.abs(n) < 1024) return nf.format(Math.round(n)) + ' MB';
    const gb = n / 1024;
    return (gb >= 100 ? nf.format(Math.round(gb)) : gb.toFixed(1).replace(/\.0$/, '')) + ' GB';
  }

  function pct(used, total) {
    if (!total || total <= 0) return 0;
    return Math.max(0, Math.min(1, used / total));
  }

  const pctText = (f) => Math.round(f * 100) + '%';

  function cpus(n) {
    if (n === null || n === undefined) return '–';
    return (Math.round(n * 100) / 100).toString();
  }

  function rampColour(f) {
    const x = Math.max(0, Math.min(1, f)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(x));
    const t = x - i;
    const c = RAMP[i].map((v, k) => Math.round(v + (RAMP[i + 1][k] - v) * t));
    // dark backgrounds get light text (relative luminance, WCAG)
    const lum = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return { css: 'rgb(' + c.join(',') + ')', dark: l < 0.22 };
  }

  function serverNow() {
    return Date.now() + skewMs;
  }

  function ago(iso) {
    if (!iso) return '';
    const t = Date.parse(iso);
    if (isNaN(t)) return '';
    return duration((serverNow() - t) / 1000) + ' ago';
  }

  function duration(seconds) {
    let s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + String(m).padStart(2, '0') + 'm';
    if (m > 0) return m + 'm ' + String(s).padStart(2, '0') + 's';
    return s + 's';
  }

  function clock(iso) {
    const t = Date.parse(iso);
    if (isNaN(t)) return '';
    return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
  }

  function kindBadge(kind) {
    const k = kind === 'lrp' ? 'lrp' : 'task';
    return el('span', { class: 'kind ' + k, text: k === 'lrp' ? 'LRP' : 'Task', title: k === 'lrp' ? 'long-running process instance' : 'one-off task' });
  }

  function replaceChildren(node, children) {
    node.replaceChildren(...children);
  }

  // ---- header and banner ----

  function renderFramework(s) {
    const fw = s.framework || {};
    const sched = s.scheduler || {};
    const state = fw.state || 'unknown';
    const st = $('fw-state');
    st.textContent = state === 'subscribed' ? 'subscribed' : state;
    st.className = 'pill ' + (state === 'subscribed' ? 'ok' : (state === 'starting' || state === 'subscribing') ? 'warn' : 'bad');
    st.title = 'Framework state towards the Mesos master: ' + state;

    const lead = sched.leadership || 'single';
    const ld = $('fw-leadership');
    ld.textContent = lead === 'single' ? 'single instance' : lead;
    ld.className = 'pill ' + (lead === 'standby' ? 'warn' : 'ok');
    ld.title = lead === 'single' ? 'No leader election configured: this instance schedules'
      : lead === 'leader' ? 'Elected leader: this instance schedules' : 'Standby: another instance schedules';

    setText('fw-id', fw.id || '(not registered yet)');
    $('fw-id').title = fw.id || '';

    const master = $('fw-master');
    const m = fw.master || '';
    if (/^https?:\/\/[^\s]+$/i.test(m)) {
      const a = el('a', { href: m, target: '_blank', rel: 'noopener noreferrer', text: m.replace(/^https?:\/\//i, ''), title: 'Open the Mesos master (' + m + ')' });
      replaceChildren(master, [a]);
    } else {
      replaceChildren(master, [document.createTextNode(m || '–')]);
    }
    setText('fw-role', fw.role || '–');
    setText('fw-strategy', fw.strategy || '–');
    setText('fw-reporter', fw.failure_reporter || '–');
    $('fw-reporter').title = fw.failure_reporter || '';
    setText('fw-uptime', sched.uptime_seconds === undefined ? '–' : duration(sched.uptime_seconds));
    $('fw-uptime').title = sched.started_at ? 'started ' + sched.started_at : '';

    const r = sched.last_placement_round;
    if (r) {
      setText('fw-round', fmtMs(r.took_ms) + ' · ' + ago(r.at));
      $('fw-round').title = 'Placement engine time for the last round of offers, ended ' + r.at;
    } else {
      setText('fw-round', 'none yet');
      $('fw-round').title = 'No round of offers has been placed since start';
    }
  }

  function fmtMs(ms) {
    if (ms === null || ms === undefined) return '–';
    return ms < 10 ? ms.toFixed(2) + ' ms' : ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function renderBanner(s, error) {
    const msgs = [];
    let level = 'warn';
    if (error) {
      level = 'bad';
      msgs.push(['Cannot reach the scheduler\'s status API: ' + error + '.',
        lastOk ? 'Showing what it said at ' + lastOk.toLocaleTimeString('en-GB', { hour12: false }) + '; retrying every ' + REFRESH_MS / 1000 + ' s.' : 'Retrying every ' + REFRESH_MS / 1000 + ' s.']);
    }
    if (s) {
      const state = (s.framework && s.framework.state) || 'unknown';
      if (state !== 'subscribed') {
        if (state === 'starting' || state === 'subscribing') {
          msgs.push(['Connecting to Mesos (' + state + ').', 'Auctions wait for offers until their placement timeout.']);
        } else {
          level = 'bad';
          msgs.push(['The scheduler cannot reach Mesos: ' + state + '.',
            'No placement happens until it re-subscribes; pending auctions fail at their placement timeout.']);
        }
      }
      if (s.scheduler && s.scheduler.leadership === 'standby') {
        msgs.push(['This scheduler is a standby.', 'The leader places the work; this page shows only this instance.']);
      }
    }
    const b = $('banner');
    if (msgs.length === 0) {
      b.hidden = true;
      b.replaceChildren();
      return;
    }
    b.className = 'banner ' + level;
    b.replaceChildren(...msgs.map(([head, tail]) => el('p', null, head + ' ', el('small', { text: tail }))));
    b.hidden = false;
  }

  // ---- counters ----

  function split(id, parts) {
    const node = $(id);
    const children = [];
    parts.forEach(([label, n], i) => {
      if (i > 0) children.push(' · ');
      children.push(label + ' ', el('b', { text: num(n) }));
    });
    replaceChildren(node, children);
  }

  function renderCounters(s) {
    const k = s.by_kind || {};
    const lrp = k.lrp || {};
    const task = k.task || {};
    setText('count-pending', num(s.pending_count));
    split('split-pending', [['LRPs', lrp.pending], ['Tasks', task.pending]]);

    setText('count-running', num(s.running_count));
    if (s.running_count === null || s.running_count === undefined) {
      replaceChildren($('split-running'), ['not reported by this scheduler']);
    } else {
      const starting = (lrp.starting || 0) + (task.starting || 0);
      split('split-running', [['LRPs', lrp.running], ['Tasks', task.running], ['starting', starting]]);
    }
    setText('count-placed', num(s.placed_count));
    split('split-placed', [['LRPs', lrp.placed], ['Tasks', task.placed]]);
    setText('count-failed', num(s.failed_count));
    split('split-failed', [['LRPs', lrp.failed], ['Tasks', task.failed]]);
    setText('count-invalid', num(s.validation_failure_count));
  }

  // ---- cluster picture ----

  function meter(name, used, total, text, title) {
    const f = pct(used, total);
    const fill = el('span', { class: 'fill' });
    fill.style.width = (f * 100).toFixed(1) + '%';
    return el('div', { class: 'meter ' + name, title: title },
      el('span', { class: 'name', text: name }),
      el('span', { class: 'track' }, fill),
      el('span', { class: 'val', text: text }));
  }

  // Mesos agent ids are "<master uuid>-S<n>": the tail tells agents apart, the whole id is in the title
  function shortAgent(id) {
    const m = /-(S\d+)$/.exec(id || '');
    return m ? '…' + m[1] : (id || '');
  }

  // ARCHITECTURE.md: ExecutorID = cell-<agent id>-<generation>
  function shortCell(cellId, agentId) {
    const prefix = 'cell-' + agentId + '-';
    return cellId && cellId.startsWith(prefix) ? 'cell #' + cellId.slice(prefix.length) : (cellId || '');
  }

  function cellNode(c) {
    const u = c.used || {};
    const t = c.total || {};
    const fm = pct(u.mem_mb, t.mem_mb);
    const colour = rampColour(fm);
    const node = el('div', {
      class: 'cell' + (colour.dark ? ' dark' : ''),
      data: { cellId: c.cell_id || '', testid: 'cell' },
      title: 'Cell ' + c.cell_id + ' (' + c.state + ') on agent ' + c.agent_id
        + '\nmemory ' + num(u.mem_mb) + ' of ' + num(t.mem_mb) + ' MB (' + pctText(fm) + ')'
        + '\ndisk ' + num(u.disk_mb) + ' of ' + num(t.disk_mb) + ' MB (' + pctText(pct(u.disk_mb, t.disk_mb)) + ')'
        + '\ncontainers ' + num(u.containers) + ' of ' + num(t.containers)
        + '\ncpus ' + cpus(u.cpus) + ' of ' + cpus(t.cpus),
    });
    node.style.backgroundColor = colour.css;
    node.append(
      el('div', { class: 'cell-head' },
        el('span', { class: 'cid', text: shortCell(c.cell_id, c.agent_id) + (c.state && c.state !== 'running' ? ' · ' + c.state : '') }),
        el('span', { class: 'mem', text: pctText(fm), title: 'memory used' })),
      meter('mem', u.mem_mb, t.mem_mb, mb(u.mem_mb) + ' / ' + mb(t.mem_mb),
        'memory: ' + num(u.mem_mb) + ' of ' + num(t.mem_mb) + ' MB'),
      meter('disk', u.disk_mb, t.disk_mb, mb(u.disk_mb) + ' / ' + mb(t.disk_mb),
        'disk: ' + num(u.disk_mb) + ' of ' + num(t.disk_mb) + ' MB (' + pctText(pct(u.disk_mb, t.disk_mb)) + ')'),
      meter('ctrs', u.containers, t.containers, num(u.containers) + ' / ' + num(t.containers) + ' containers',
        'containers: ' + num(u.containers) + ' of ' + num(t.containers)));
    return node;
  }

  function agentNode(a, cells) {
    const free = a.last_offered;
    const head = el('header', null,
      el('b', { text: a.hostname || a.agent_id }),
      el('span', { class: 'aid', text: shortAgent(a.agent_id) }));
    const title = 'Agent ' + a.agent_id + (a.hostname ? ' (' + a.hostname + ')' : '') + ', zone ' + (a.zone || 'none')
      + (free ? '\nfree at its last offer (' + ago(a.last_offer_at) + '): ' + mb(free.mem_mb) + ' memory, '
        + mb(free.disk_mb) + ' disk, ' + cpus(free.cpus) + ' cpus' : '\nnot offered since the scheduler started');
    const node = el('article', { class: 'agent', title: title, data: { agentId: a.agent_id, testid: 'agent-tile' } }, head);
    if (cells.length === 0) {
      node.append(el('div', { class: 'nocell' }, 'no cell',
        free ? el('span', { class: 'free', text: ' · free at last offer: ' + mb(free.mem_mb) + ' mem, ' + mb(free.disk_mb) + ' disk, ' + cpus(free.cpus) + ' cpus' }) : null));
    } else {
      for (const c of cells) node.append(cellNode(c));
    }
    return node;
  }

  function renderCluster(s) {
    const cellsByAgent = new Map();
    for (const c of s.cells || []) {
      if (!cellsByAgent.has(c.agent_id)) cellsByAgent.set(c.agent_id, []);
      cellsByAgent.get(c.agent_id).push(c);
    }
    // agents: as the status lists them; an older scheduler without the list gets one per cell's agent
    let agents = s.agents;
    if (!Array.isArray(agents)) {
      agents = [...cellsByAgent.entries()].map(([id, cs]) => ({ agent_id: id, hostname: cs[0].hostname, zone: cs[0].zone }));
    }
    const zones = new Map();
    for (const a of agents) {
      const z = a.zone || '';
      if (!zones.has(z)) zones.set(z, []);
      zones.get(z).push(a);
    }
    const names = [...zones.keys()].sort((x, y) => (x === '') - (y === '') || x.localeCompare(y, 'en', { numeric: true }));

    let memUsed = 0;
    let memTotal = 0;
    let containers = 0;
    for (const c of s.cells || []) {
      memUsed += (c.used && c.used.mem_mb) || 0;
      memTotal += (c.total && c.total.mem_mb) || 0;
      containers += (c.used && c.used.containers) || 0;
    }
    const cellCount = (s.cells || []).length;
    setText('cluster-summary', num(agents.length) + ' agents in ' + num(names.length) + ' zones · '
      + num(cellCount) + ' cells · ' + num(containers) + ' containers'
      + (memTotal > 0 ? ' · memory ' + mb(memUsed) + ' of ' + mb(memTotal) + ' (' + pctText(pct(memUsed, memTotal)) + ')' : ''));

    const out = [];
    for (const z of names) {
      const list = zones.get(z);
      const zoneCells = list.reduce((n, a) => n + (cellsByAgent.get(a.agent_id) || []).length, 0);
      out.push(el('section', { class: 'zone', data: { zone: z } },
        el('h3', null, el('span', { text: z ? 'zone ' + z : 'no zone' }),
          el('small', { text: list.length + (list.length === 1 ? ' agent · ' : ' agents · ') + zoneCells + (zoneCells === 1 ? ' cell' : ' cells') })),
        el('div', { class: 'agents' }, ...list.map((a) => agentNode(a, cellsByAgent.get(a.agent_id) || [])))));
    }
    if (out.length === 0) {
      out.push(el('p', { class: 'empty', text: 'No agents yet: agents appear when Mesos offers them (the scheduler asks for offers while work is pending) or when they run a cell.' }));
    }
    $('zones').classList.toggle('compact', agents.length > COMPACT_AGENTS);
    replaceChildren($('zones'), out);
  }

  // ---- failures and lists ----

  function renderReasons(s) {
    const entries = Object.entries(s.failures_by_reason || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const node = $('reasons');
    if (entries.length === 0) {
      replaceChildren(node, [el('p', { class: 'empty', text: 'No failures since start.' })]);
      return;
    }
    const max = entries[0][1];
    const rows = entries.slice(0, SHOWN_REASONS).map(([reason, n]) => {
      const fill = el('span', { class: 'fill' });
      fill.style.width = (100 * n / max).toFixed(1) + '%';
      return el('div', { class: 'bar-row', title: n + ' × ' + reason, data: { testid: 'reason' } },
        el('span', { class: 'reason', text: reason }),
        el('span', { class: 'track' }, fill),
        el('span', { class: 'n', text: num(n) }));
    });
    if (entries.length > SHOWN_REASONS) {
      const rest = entries.slice(SHOWN_REASONS).reduce((t, e) => t + e[1], 0);
      rows.push(el('p', { class: 'empty', text: (entries.length - SHOWN_REASONS) + ' more reasons, ' + num(rest) + ' failures' }));
    }
    replaceChildren(node, rows);
  }

  function fillTable(id, items, row, emptyText) {
    const body = $(id).tBodies[0];
    if (items.length === 0) {
      replaceChildren(body, [el('tr', { class: 'none' }, el('td', { colSpan: 4, text: emptyText }))]);
      return;
    }
    replaceChildren(body, items.map(row));
  }

  function hostnames(s) {
    const names = new Map();
    for (const c of s.cells || []) if (c.hostname) names.set(c.agent_id, c.hostname);
    for (const a of s.agents || []) if (a.hostname) names.set(a.agent_id, a.hostname);
    return names;
  }

  function renderLists(s) {
    const hosts = hostnames(s);
    const failed = (s.failed || []).slice(-SHOWN_FAILURES).reverse();
    fillTable('failures', failed, (f) => el('tr', {
      title: f.kind + ' ' + f.id + ' failed at ' + f.at + (f.request_id ? '\nrequest ' + f.request_id : '')
        + '\nreport to Diego: ' + (f.report || '') + (f.report_detail ? ' (' + f.report_detail + ')' : ''),
      data: { testid: 'failure', id: f.id },
    },
    el('td', { text: clock(f.at) }),
    el('td', null, kindBadge(f.kind)),
    el('td', { class: 'id', text: f.id }),
    el('td', { class: 'reason', text: f.reason })), 'No failures since start.');

    const placed = (s.placed || []).slice(-SHOWN_PLACED).reverse();
    fillTable('placed', placed, (p) => el('tr', {
      title: p.kind + ' ' + p.id + ' running on agent ' + p.agent_id + ' cell ' + p.cell_id + ' since ' + p.at
        + (p.request_id ? '\nrequest ' + p.request_id : ''),
    },
    el('td', { text: clock(p.at) }),
    el('td', null, kindBadge(p.kind)),
    el('td', { class: 'id', text: p.id }),
    el('td', { text: hosts.get(p.agent_id) || shortAgent(p.agent_id) })), 'Nothing placed yet.');

    const pending = (s.pending || []).slice(0, SHOWN_PENDING);
    const more = (s.pending_count || 0) - pending.length;
    fillTable('pending', pending, (p) => el('tr', {
      title: p.kind + ' ' + p.id + ' queued ' + p.queued_at + ', fails at ' + p.deadline + (p.placing ? ' (being placed now)' : ''),
    },
    el('td', { text: clock(p.queued_at) }),
    el('td', null, kindBadge(p.kind)),
    el('td', { class: 'id', text: p.id + (p.placing ? ' (placing)' : '') }),
    el('td', { text: clock(p.deadline) })), 'Nothing pending.');
    if (more > 0) {
      $('pending').tBodies[0].append(el('tr', { class: 'none' }, el('td', { colSpan: 4, text: '… and ' + num(more) + ' more' })));
    }
  }

  // ---- the loop ----

  function render(s, error) {
    if (s) {
      renderFramework(s);
      renderCounters(s);
      renderCluster(s);
      renderReasons(s);
      renderLists(s);
    }
    renderBanner(s, error);
  }

  function renderLive(error) {
    const dot = $('live-dot');
    if (error) {
      dot.className = 'dot bad';
      setText('updated', lastOk ? 'stale since ' + lastOk.toLocaleTimeString('en-GB', { hour12: false }) : 'no answer');
    } else {
      dot.className = 'dot ok';
      // restart the pulse
      void dot.offsetWidth;
      dot.className = 'dot ok pulse';
      setText('updated', 'live · ' + lastOk.toLocaleTimeString('en-GB', { hour12: false }));
    }
  }

  async function poll() {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    try {
      const r = await fetch('/v1/status?recent=' + RECENT, { cache: 'no-store', signal: ctl.signal, headers: { Accept: 'application/json' } });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const s = await r.json();
      lastOk = new Date();
      if (s.scheduler && s.scheduler.now) {
        const t = Date.parse(s.scheduler.now);
        if (!isNaN(t)) skewMs = t - Date.now();
      }
      lastStatus = s;
      render(s, null);
      renderLive(null);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      const why = e && e.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : (e && e.message) || String(e);
      render(lastStatus, why);
      renderLive(why);
    } finally {
      clearTimeout(timer);
      setTimeout(poll, REFRESH_MS);
    }
  }

  poll();
})();
