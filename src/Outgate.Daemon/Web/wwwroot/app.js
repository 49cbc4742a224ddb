'use strict';
// The Outgate dashboard: one page, views switched by the URL fragment (#/live, #/traffic, ...).
// Everything goes through the daemon's /v1 API with the session cookie; state-changing requests
// carry the session's CSRF token in X-Outgate-CSRF. Text from the daemon is only ever set with
// textContent (never innerHTML): program names and domains are attacker-controlled (on the fleet page,
// they come from every host). A viewer session (the read-only token) gets body.viewer: everything marked
// data-admin is hidden by the style sheet. That is only manners: the daemon refuses viewers' changes itself.
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, header: 'X-Outgate-CSRF', role: 'admin', mode: null, view: null, source: null, rows: new Map(), flows: new Map(), lastId: 0, alertsAck: null };
  const MAX_ROWS = 500;

  // ---- API -------------------------------------------------------------------------------------
  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers[state.header] = state.csrf;
    }
    const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) { location.href = '/login'; throw new Error('not logged in'); }
    let data = null;
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) data = await response.json();
    if (!response.ok) {
      const error = new Error((data && data.error) || (method + ' ' + path + ': ' + response.status));
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }
  const get = (path) => call('GET', path);
  const post = (path, body) => call('POST', path, body === undefined ? {} : body);

  // ---- helpers ---------------------------------------------------------------------------------
  function td(tr, text, cls) {
    const cell = document.createElement('td');
    cell.textContent = text == null ? '' : String(text);
    if (cls) cell.className = cls;
    tr.appendChild(cell);
    return cell;
  }
  function button(text, onClick, cls) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (cls) b.className = cls;
    b.addEventListener('click', (e) => { e.stopPropagation(); onClick(b); });
    return b;
  }
  // A button only admins see (a viewer's request would be refused anyway).
  function adminButton(text, onClick, cls) {
    const b = button(text, onClick, cls);
    b.dataset.admin = '';
    return b;
  }
  function bytes(n) {
    if (n == null) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + units[i];
  }
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : '';
  const dateTime = (iso) => iso ? new Date(iso).toLocaleString() : '';
  const base = (path) => path ? path.split('/').pop() : '';
  function toast(text, error) {
    const t = $('toast');
    t.textContent = text;
    t.className = error ? 'error' : '';
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
  }
  function confirmDialog(title, text, ok) {
    return new Promise((resolve) => {
      const d = $('confirm-dialog');
      $('confirm-title').textContent = title;
      $('confirm-text').textContent = text;
      $('confirm-ok').textContent = ok || 'Yes';
      d.returnValue = '';
      d.addEventListener('close', () => resolve(d.returnValue === 'confirm'), { once: true });
      d.showModal();
    });
  }
  function clear(tbody) { while (tbody.firstChild) tbody.removeChild(tbody.firstChild); }
  function empty(tbody, cols, text) {
    const tr = document.createElement('tr');
    const cell = td(tr, text, 'muted');
    cell.colSpan = cols;
    tbody.appendChild(tr);
  }

  // ---- views -----------------------------------------------------------------------------------
  const views = { live: showLive, traffic: loadTraffic, prompts: loadPrompts, rules: loadRules, alerts: loadAlerts, proposals: loadProposals, fleet: loadFleet };
  function route() {
    const name = (location.hash.match(/^#\/(\w+)/) || [])[1] || 'live';
    const view = views[name] ? name : 'live';
    state.view = view;
    document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
    document.querySelectorAll('nav a').forEach(a => {
      if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    views[view]().catch(e => toast(e.message, true));
  }

  // ---- live connections --------------------------------------------------------------------------
  function flowKey(e) { return [e.proto, e.src, e.srcPort, e.dst, e.dstPort].join('|'); }

  function liveRow(e) {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    tr.dataset.id = e.id;
    tr.dataset.verdict = e.verdict || '';
    td(tr, time(e.time));
    const program = td(tr, base(e.exe) || '(unknown)');
    program.title = (e.exe || '') + (e.pid ? ' (pid ' + e.pid + ')' : '');
    td(tr, e.user != null ? e.user : (e.uid != null ? 'uid ' + e.uid : ''));
    td(tr, e.container ? 'container ' + e.container : (e.unit || ''));
    const dest = (e.domain ? e.domain + ' ' : '') + (e.dst || '') + (e.dstPort ? ':' + e.dstPort : '') + (e.proto ? ' ' + e.proto : '');
    td(tr, dest);
    td(tr, e.verdict || '', 'verdict verdict-' + (e.verdict || 'none'));
    td(tr, '', 'bytes');
    tr.dataset.search = [e.exe, e.user, e.unit, e.container, e.domain, e.dst, e.dstPort, e.proto, e.verdict, e.rule].join(' ').toLowerCase();
    return tr;
  }

  // Rows are added once per animation frame, in one batch: at 1,000 connections/s a row per message kept the
  // renderer busy re-laying out the table and the view fell seconds behind (docs/benchmarks.md "Dashboard").
  const pending = [];
  let frameQueued = false;

  function addEvent(e) {
    if (e.id > state.lastId) state.lastId = e.id;
    if (e.type === 'alert') { bumpAlerts(); return; }
    if (e.type !== 'flow-end' && e.type !== 'decision') return;
    if (e.type === 'decision' && e.verdict === 'prompt') refreshPromptCount();
    pending.push(e);
    // A hidden tab gets no animation frames: keep only what could still be shown when it comes back.
    if (pending.length > 4 * MAX_ROWS) pending.splice(0, pending.length - 2 * MAX_ROWS);
    if (!frameQueued) {
      frameQueued = true;
      requestAnimationFrame(flushEvents);
    }
  }

  function flushEvents() {
    frameQueued = false;
    const batch = pending.splice(0, pending.length);
    const tbody = $('live-table').tBodies[0];
    const filter = currentFilter();
    // Only the newest MAX_ROWS decisions of a burst can be shown; older ones would be trimmed at once.
    let decisions = 0;
    for (let i = batch.length - 1; i >= 0; i--) if (batch[i].type === 'decision' && ++decisions > MAX_ROWS) batch[i] = null;
    const fragment = document.createDocumentFragment();
    for (const e of batch) {
      if (!e) continue;
      if (e.type === 'flow-end') {
        const tr = state.flows.get(flowKey(e));
        if (tr) {
          tr.querySelector('.bytes').textContent = bytes(e.bytesOut || 0) + ' / ' + bytes(e.bytesIn || 0);
          tr.dataset.ended = 'yes';
        }
        continue;
      }
      const tr = liveRow(e);
      applyFilter(tr, filter);
      fragment.insertBefore(tr, fragment.firstChild);
      state.flows.set(flowKey(e), tr);
    }
    tbody.insertBefore(fragment, tbody.firstChild);
    while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
    if (state.flows.size > MAX_ROWS * 2) {
      for (const [k, row] of state.flows) if (!row.isConnected) state.flows.delete(k);
    }
  }

  function currentFilter() {
    return { q: $('live-search').value.trim().toLowerCase(), v: $('live-verdict').value };
  }

  function applyFilter(tr, filter = currentFilter()) {
    tr.hidden = (filter.q && !tr.dataset.search.includes(filter.q)) || (filter.v && tr.dataset.verdict !== filter.v);
  }

  // One listener for every row (rows come and go at up to thousands per second).
  function rowOf(target) { const tr = target.closest('tr'); return tr && tr.dataset.id ? tr : null; }

  let liveStarted = false;
  async function showLive() {
    if (liveStarted) return;
    liveStarted = true;
    const page = await get('/v1/events?type=decision&limit=200');
    page.events.forEach(addEvent);
    const flows = await get('/v1/events?type=flow-end&limit=500');
    flows.events.forEach(addEvent);
    state.lastId = Math.max(state.lastId, page.lastId || 0);
    connectStream();
  }

  function connectStream() {
    if (state.source) state.source.close();
    const source = new EventSource('/v1/events/stream?after=' + state.lastId);
    state.source = source;
    const handle = (m) => {
      if ($('live-pause').checked) return;
      try { addEvent(JSON.parse(m.data)); } catch (err) { /* a malformed line is skipped */ }
    };
    ['decision', 'flow-end', 'alert'].forEach(t => source.addEventListener(t, handle));
    source.onopen = () => { $('live-state').textContent = 'live'; };
    source.onerror = () => { $('live-state').textContent = 'reconnecting…'; };
  }

  async function explain(id) {
    const d = $('explain-dialog');
    $('explain-title').textContent = 'Why (event ' + id + ')';
    $('explain-verdict').textContent = 'Asking outgated…';
    $('explain-lines').textContent = '';
    d.showModal();
    try {
      const x = await get('/v1/explain?event=' + encodeURIComponent(id));
      $('explain-verdict').textContent = 'Verdict now: ' + x.verdict + ' — decided by ' + x.decidedBy;
      $('explain-lines').textContent = x.lines.join('\n');
    } catch (e) {
      $('explain-verdict').textContent = e.message;
    }
  }

  // ---- traffic ---------------------------------------------------------------------------------
  async function loadTraffic() {
    const m = $('traffic-minutes').value;
    const [traffic, top, blocked, dest] = await Promise.all([
      get('/v1/stats/traffic?minutes=' + m), get('/v1/stats/top?limit=15&minutes=' + m),
      get('/v1/stats/blocked?limit=30&minutes=' + m), get('/v1/stats/destinations?limit=50&minutes=' + m)]);
    // Bytes when conntrack reported any (flow ends), else connections: one unit per chart, named in the title.
    const useBytes = traffic.apps.some(a => a.bytesOut + a.bytesIn > 0);
    const perBucket = traffic.bucketSeconds === 60 ? 'minute' : Math.round(traffic.bucketSeconds / 60) + ' minutes';
    $('traffic-chart-title').textContent = 'Per-app traffic over time (' + (useBytes ? 'bytes' : 'connections') + ' per ' + perBucket + ')';
    const series = traffic.apps.map(a => ({ name: base(a.app) || a.app, points: a.points.map(p => ({ t: new Date(p.time), v: useBytes ? p.bytesOut + p.bytesIn : p.connections })) }));
    LineChart.render($('traffic-chart'), series, (v) => useBytes ? bytes(v) : (Number.isInteger(v) ? String(v) : v.toFixed(1)));

    let tbody = $('top-table').tBodies[0]; clear(tbody);
    if (!top.talkers.length) empty(tbody, 7, 'No connections in this window.');
    top.talkers.forEach(t => {
      const tr = document.createElement('tr');
      td(tr, base(t.app) || t.app).title = t.app; td(tr, t.user); td(tr, bytes(t.bytesOut)); td(tr, bytes(t.bytesIn));
      td(tr, t.connections); td(tr, t.blocked); td(tr, t.destinations);
      tbody.appendChild(tr);
    });
    tbody = $('blocked-table').tBodies[0]; clear(tbody);
    if (!blocked.attempts.length) empty(tbody, 5, 'Nothing blocked in this window.');
    blocked.attempts.forEach(b => {
      const tr = document.createElement('tr');
      td(tr, base(b.app) || b.app).title = b.app;
      td(tr, (b.domain ? b.domain + ' ' : '') + b.dst + (b.dstPort ? ':' + b.dstPort : '') + (b.proto ? ' ' + b.proto : ''));
      td(tr, b.verdict, 'verdict verdict-' + b.verdict); td(tr, b.count); td(tr, time(b.last));
      tbody.appendChild(tr);
    });
    tbody = $('dest-table').tBodies[0]; clear(tbody);
    if (!dest.groups.length) empty(tbody, 7, 'No destinations in this window.');
    dest.groups.forEach(g => {
      const tr = document.createElement('tr');
      td(tr, g.name + (g.kind === 'network' ? ' (network)' : '')); td(tr, g.connections); td(tr, g.blocked);
      td(tr, bytes(g.bytesOut)); td(tr, bytes(g.bytesIn)); td(tr, g.apps.map(base).join(', ')); td(tr, g.addresses.join(', '));
      tbody.appendChild(tr);
    });
  }

  // ---- prompts ---------------------------------------------------------------------------------
  function select(name, options, label) {
    const wrap = document.createElement('label');
    wrap.textContent = label + ' ';
    const s = document.createElement('select');
    s.name = name;
    options.forEach(([value, text]) => { const o = document.createElement('option'); o.value = value; o.textContent = text; s.appendChild(o); });
    wrap.appendChild(s);
    return wrap;
  }

  async function loadPrompts() {
    const data = await get('/v1/prompts');
    setBadge('prompt-count', data.prompts.length);
    if (state.view !== 'prompts') return;
    // Cards are kept across polls (a re-render would reset the scope and duration someone is choosing):
    // answered or expired prompts are removed, new ones added.
    const list = $('prompt-list');
    const live = new Set(data.prompts.map(p => String(p.id)));
    [...list.children].forEach(c => { if (!c.dataset.id || !live.has(c.dataset.id)) list.removeChild(c); });
    if (!data.prompts.length) {
      const p = document.createElement('p'); p.className = 'muted'; p.textContent = 'No connection is waiting for an answer.'; list.appendChild(p);
    }
    const shown = new Set([...list.children].map(c => c.dataset.id));
    data.prompts.filter(p => !shown.has(String(p.id))).forEach(p => {
      const card = document.createElement('article');
      card.className = 'card prompt';
      card.dataset.id = p.id;
      const h = document.createElement('h3');
      h.textContent = (base(p.exe) || '(unknown program)') + ' → ' + (p.domain ? p.domain + ' ' : '') + p.dst + ':' + p.dstPort + ' ' + p.proto;
      card.appendChild(h);
      const facts = document.createElement('p');
      facts.className = 'muted';
      facts.textContent = [p.exe, p.commandLine, p.user ? 'user ' + p.user : 'uid ' + p.uid, p.unit, p.container ? 'container ' + p.container : null,
        p.waiting + ' waiting', 'expires ' + time(p.expiresAt) + ' (then ' + p.defaultVerdict + ')'].filter(Boolean).join(' · ');
      card.appendChild(facts);
      const controls = document.createElement('div');
      controls.className = 'row';
      controls.dataset.admin = '';
      const scope = select('scope', [['app+host', 'this program to this host'], ['app+port', 'this program to this port'], ['app', 'this program anywhere']], 'Scope');
      const duration = select('duration', [['once', 'once'], ['30m', '30 minutes'], ['1h', '1 hour'], ['until-reboot', 'until reboot'], ['always', 'always']], 'For');
      controls.appendChild(scope);
      controls.appendChild(duration);
      const answer = async (verdict) => {
        try {
          const r = await post('/v1/prompts/' + p.id + '/answer', { verdict, scope: scope.querySelector('select').value, duration: duration.querySelector('select').value });
          toast('Prompt ' + p.id + ' answered ' + r.verdict + (r.rule ? ': ' + r.rule : ' once') + (r.note ? ' (' + r.note + ')' : ''));
        } catch (e) { toast(e.message, true); }
        loadPrompts();
      };
      controls.appendChild(button('Allow', () => answer('allow'), 'allow'));
      controls.appendChild(button('Deny', () => answer('deny'), 'danger'));
      card.appendChild(controls);
      list.appendChild(card);
    });
  }
  function refreshPromptCount() { get('/v1/prompts').then(d => { setBadge('prompt-count', d.prompts.length); if (state.view === 'prompts') loadPrompts(); }).catch(() => {}); }
  function setBadge(id, n) { const b = $(id); b.textContent = n; b.hidden = !n; }

  // ---- rules -----------------------------------------------------------------------------------
  async function loadRules() {
    const data = await get('/v1/rules');
    $('rule-defaults').textContent = 'Default outgoing: ' + data.defaultOutgoing + ', incoming: ' + data.defaultIncoming +
      (data.errors.length ? ' — the policy files have errors: ' + data.errors.join('; ') : '');
    const tbody = $('rules-table').tBodies[0];
    clear(tbody);
    if (!data.rules.length) empty(tbody, 5, 'No rules: the defaults decide.');
    data.rules.forEach(r => {
      const tr = document.createElement('tr');
      td(tr, r.number);
      td(tr, r.rule + (r.expired ? ' (expired)' : r.expires ? ' (until ' + dateTime(r.expires) + ')' : ''), 'mono');
      td(tr, r.comment); td(tr, r.file, 'muted');
      const cell = td(tr, '');
      cell.appendChild(adminButton('Edit', () => { $('rule-input').value = 'insert ' + r.number + ' ' + r.rule; $('rule-input').focus(); }, 'link'));
      cell.appendChild(adminButton('Delete', async () => {
        if (await confirmDialog('Delete rule ' + r.number + '?', r.rule, 'Delete')) await runEdit('delete ' + r.number);
      }, 'danger'));
      tbody.appendChild(tr);
    });
  }

  async function runEdit(command) {
    const out = $('rule-result');
    out.hidden = false;
    try {
      const r = await post('/v1/rules', { command });
      out.className = 'result ok';
      out.textContent = r.message + (r.note ? '\n' + r.note : '');
      await loadRules();
      return true;
    } catch (e) {
      out.className = 'result error';
      out.textContent = e.data && e.data.errors ? e.data.errors.join('\n') : e.message;
      return false;
    }
  }

  // ---- alerts ----------------------------------------------------------------------------------
  // GET /v1/alerts (with acknowledgement) when the daemon has it; older daemons only have alert events.
  async function fetchAlerts() {
    const unacked = $('alerts-unacked').checked;
    try {
      const data = await get('/v1/alerts?limit=500' + (unacked ? '&unacked=true' : ''));
      state.alertsAck = true;
      return data.alerts || data.events || [];
    } catch (e) {
      if (e.status !== 404) throw e;
      state.alertsAck = false;
      return (await get('/v1/events?type=alert&limit=500')).events.reverse();
    }
  }
  const isAcked = (a) => !!(a.acked || a.ackedAt || a.acknowledged || a.ack);

  async function loadAlerts() {
    const alerts = await fetchAlerts();
    const pending = alerts.filter(a => !isAcked(a));
    setBadge('alert-count', pending.length);
    if (state.view !== 'alerts') return;
    $('alerts-ack-all').disabled = !state.alertsAck || !pending.length;
    $('alerts-note').textContent = state.alertsAck ? '' : 'Acknowledging needs an outgated with GET /v1/alerts; showing alert events.';
    const tbody = $('alerts-table').tBodies[0];
    clear(tbody);
    const shown = $('alerts-unacked').checked && state.alertsAck ? pending : alerts;
    if (!shown.length) empty(tbody, 7, 'No alerts.');
    shown.forEach(a => {
      const tr = document.createElement('tr');
      tr.dataset.id = a.id;
      td(tr, dateTime(a.time)); td(tr, a.severity, 'sev sev-' + a.severity); td(tr, a.rule || a.detector); td(tr, a.message);
      td(tr, a.exe ? base(a.exe) + (a.pid ? ' (' + a.pid + ')' : '') : ''); td(tr, a.details, 'mono');
      const cell = td(tr, '');
      if (isAcked(a)) cell.textContent = 'acknowledged';
      else {
        const b = adminButton('Acknowledge', async () => {
          try { await post('/v1/alerts/' + a.id + '/ack'); toast('Alert ' + a.id + ' acknowledged'); } catch (e) { toast(e.message, true); }
          loadAlerts();
        });
        b.disabled = !state.alertsAck;
        if (!state.alertsAck) b.title = 'this outgated cannot record acknowledgements yet';
        cell.appendChild(b);
      }
      tbody.appendChild(tr);
    });
  }
  function bumpAlerts() { loadAlerts().catch(() => {}); }

  // ---- proposals ---------------------------------------------------------------------------------
  const rejectedKey = 'outgate.rejectedProposals';
  const rejected = () => new Set(JSON.parse(localStorage.getItem(rejectedKey) || '[]'));
  function reject(rule) { const s = rejected(); s.add(rule); localStorage.setItem(rejectedKey, JSON.stringify([...s])); }

  async function loadProposals() {
    $('proposals-note').textContent = 'Reading recorded connections…';
    const data = await get('/v1/policy/propose');
    const hidden = rejected();
    const tbody = $('proposals-table').tBodies[0];
    clear(tbody);
    const rules = data.rules.filter(r => !hidden.has(r.rule));
    $('proposals-note').textContent = data.connections + ' connections read' + (hidden.size ? ', ' + hidden.size + ' rejected hidden' : '') + (data.truncated ? ' (truncated)' : '');
    if (!rules.length) empty(tbody, 5, 'Nothing to propose.');
    rules.forEach(r => {
      const tr = document.createElement('tr');
      td(tr, r.rule, 'mono'); td(tr, r.purpose); td(tr, r.count); td(tr, dateTime(r.last));
      const cell = td(tr, '');
      cell.appendChild(adminButton('Accept', async (b) => {
        b.disabled = true;
        try {
          const x = await post('/v1/rules', { command: r.rule });
          toast(x.message + (x.note ? ' — ' + x.note : ''));
          tr.remove();
        } catch (e) { toast(e.data && e.data.errors ? e.data.errors.join(' ') : e.message, true); b.disabled = false; }
      }, 'allow'));
      cell.appendChild(adminButton('Edit', () => { location.hash = '#/rules'; $('rule-input').value = r.rule; setTimeout(() => $('rule-input').focus(), 0); }));
      cell.appendChild(adminButton('Reject', () => { reject(r.rule); tr.remove(); }, 'link'));
      tbody.appendChild(tr);
    });
    const review = $('review-table').tBodies[0];
    clear(review);
    if (!data.review.length) empty(review, 4, 'Nothing left for review.');
    data.review.forEach(r => {
      const tr = document.createElement('tr');
      td(tr, base(r.program) || r.program).title = r.program;
      td(tr, (r.domain ? r.domain + ' ' : '') + (r.destination || '') + (r.port ? ':' + r.port : '') + (r.proto ? ' ' + r.proto : ''));
      td(tr, r.count); td(tr, r.reason, 'muted');
      review.appendChild(tr);
    });
  }

  // ---- fleet -------------------------------------------------------------------------------------
  // The fleet database as this daemon sees it (GET /v1/fleet/*: 503 without a database, 502 when it fails).
  // Heartbeats come every 10 s: a host silent for six of them is marked stale, not one that is a beat late.
  const STALE_SECONDS = 60;
  const shortDigest = (d) => d ? d.slice(0, 12) : '–';
  const count = (n) => n == null ? '' : Number(n).toLocaleString();
  function age(seconds) {
    if (seconds == null) return 'never';
    if (seconds < 120) return Math.max(0, Math.round(seconds)) + ' s ago';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return Math.round(seconds / 86400) + ' d ago';
  }
  function fact(dl, name, value, cls) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value == null ? '' : String(value);
    if (cls) dd.className = cls;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  function fleetError(e) {
    const note = $('fleet-note');
    note.textContent = e.message + (e.data && e.data.hint ? ' — ' + e.data.hint : '');
    note.className = 'error';
  }

  async function loadFleet() {
    const s = await get('/v1/fleet/status');
    showShipper(s);
    $('fleet-off').hidden = s.configured;
    $('fleet-body').hidden = !s.configured;
    if (!s.configured) {
      $('fleet-off-text').textContent = s.lastError
        ? 'This outgated does not use its fleet database: ' + s.lastError
        : 'This outgated has no fleet database, so there is no fleet to show.';
      // The query endpoints' 503 names this daemon's own fleet.conf path.
      try { await get('/v1/fleet/hosts'); } catch (e) { $('fleet-off-hint').textContent = e.data && e.data.hint ? 'outgated says: ' + e.data.hint : ''; }
      return;
    }
    const note = $('fleet-note');
    note.className = 'muted';
    note.textContent = 'Reading the fleet database…';
    let failed = false;
    await Promise.all([loadFleetHosts(), loadFleetTop(), loadFleetAlerts()].map(p => p.catch(e => { failed = true; fleetError(e); })));
    if (!failed) note.textContent = 'Updated ' + new Date().toLocaleTimeString();
  }

  function showShipper(s) {
    const dl = $('fleet-status');
    clear(dl);
    if (!s.configured) { fact(dl, 'Shipping', 'off'); return; }
    fact(dl, 'Database', s.target + (s.source ? ' (from ' + s.source + ')' : ''));
    fact(dl, 'This host', s.hostName + (s.hostId ? ' (' + s.hostId + ')' : ''));
    fact(dl, 'Connected', s.connected ? 'yes' : 'no', s.connected ? 'ok-cell' : 'drift-cell');
    fact(dl, 'Lag', s.lag == null ? 'unknown (not connected yet)' : count(s.lag) + ' events waiting (shipped up to ' + s.shippedId + ' of ' + s.lastLocalId + ')',
      s.lag > 0 ? 'stale-cell' : '');
    fact(dl, 'Shipped by this run', count(s.shippedThisRun) + (s.shippedThisRun === 1 ? ' event in ' : ' events in ') + count(s.batches) + (s.batches === 1 ? ' batch' : ' batches') + (s.lastShippedAt ? ', last at ' + dateTime(s.lastShippedAt) : ''));
    fact(dl, 'Last heartbeat', s.lastHeartbeatAt ? dateTime(s.lastHeartbeatAt) : 'none yet');
    fact(dl, 'Last error', s.lastError ? s.lastError + (s.lastErrorAt ? ' (' + dateTime(s.lastErrorAt) + ')' : '') : 'none', s.lastError ? 'error' : '');
    if (s.heartbeatError) fact(dl, 'Heartbeat error', s.heartbeatError, 'error');
  }

  async function loadFleetHosts() {
    const expect = $('fleet-expect').value.trim();
    const data = await get('/v1/fleet/hosts' + (expect ? '?expect=' + encodeURIComponent(expect) : ''));
    const tbody = $('fleet-hosts').tBodies[0];
    clear(tbody);
    if (!data.hosts.length) empty(tbody, 8, 'No host has shipped to the fleet database yet.');
    data.hosts.forEach(h => {
      const tr = document.createElement('tr');
      tr.dataset.host = h.name;
      const stale = h.secondsSinceHeartbeat == null || h.secondsSinceHeartbeat > STALE_SECONDS;
      if (stale) tr.classList.add('stale');
      if (h.drift) tr.classList.add('drift');
      td(tr, h.name).title = h.hostId;
      td(tr, age(h.secondsSinceHeartbeat) + (stale ? ' (stale)' : ''), stale ? 'stale-cell' : '').title = h.lastHeartbeat ? dateTime(h.lastHeartbeat) : 'no heartbeat yet';
      td(tr, h.mode || '–');
      td(tr, shortDigest(h.policyDigest), 'mono').title = h.policyDigest || 'no digest: the policy files do not load';
      td(tr, shortDigest(h.appliedDigest), 'mono').title = h.appliedDigest || 'no bundle applied with outgate apply';
      td(tr, h.drift ? 'DRIFT' : 'ok', h.drift ? 'drift-cell' : 'ok-cell');
      td(tr, count(h.eventsShipped));
      td(tr, h.version || '–');
      tbody.appendChild(tr);
    });
    const drifted = data.hosts.filter(h => h.drift).length;
    const expected = $('fleet-expected');
    expected.textContent = data.expectedDigest
      ? 'Compared with ' + shortDigest(data.expectedDigest) + (data.expectedGiven ? ' (given)' : ' (the most common)') + ': ' + drifted + ' of ' + data.hosts.length + ' drifted'
      : 'No host reports a policy digest yet.';
    expected.title = data.expectedDigest || '';
  }

  async function fleetSearch() {
    const field = $('fleet-search-field').value;
    const value = $('fleet-search-value').value.trim();
    const note = $('fleet-search-note');
    note.className = 'muted';
    if (!value) { note.textContent = 'Type what to look for first.'; return; }
    note.textContent = 'Searching…';
    const tbody = $('fleet-search-table').tBodies[0];
    let data;
    try {
      data = await get('/v1/fleet/search?' + field + '=' + encodeURIComponent(value) + '&since=' + encodeURIComponent($('fleet-search-since').value) + '&limit=500');
    } catch (e) {
      note.className = 'error';
      note.textContent = e.message + (e.data && e.data.hint ? ' — ' + e.data.hint : '');
      return;
    }
    clear(tbody);
    if (!data.results.length) empty(tbody, 7, 'No host connected to ' + value + ' since ' + dateTime(data.since) + '.');
    data.results.forEach(r => {
      const tr = document.createElement('tr');
      tr.dataset.host = r.host;
      td(tr, r.host).title = r.hostId;
      td(tr, r.exe || '–', 'mono');
      td(tr, r.dst || '–');
      td(tr, r.domain || '–');
      td(tr, count(r.count));
      td(tr, dateTime(r.first));
      td(tr, dateTime(r.last));
      tbody.appendChild(tr);
    });
    const hosts = new Set(data.results.map(r => r.hostId)).size;
    note.textContent = hosts + (hosts === 1 ? ' host' : ' hosts') + ' since ' + dateTime(data.since);
  }

  function topRows(table, rows, what, title) {
    const tbody = $(table).tBodies[0];
    clear(tbody);
    if (!rows.length) empty(tbody, 3, 'No ' + what + ' in this window.');
    rows.forEach(r => {
      const tr = document.createElement('tr');
      const cell = td(tr, title ? base(r.value) || r.value : r.value);
      cell.title = r.value;
      td(tr, count(r.count)); td(tr, r.hosts);
      tbody.appendChild(tr);
    });
  }

  async function loadFleetTop() {
    const data = await get('/v1/fleet/top?limit=10&since=' + encodeURIComponent($('fleet-since').value));
    topRows('fleet-top-apps', data.apps, 'connections', true);
    topRows('fleet-top-dests', data.destinations, 'connections', false);
  }

  async function loadFleetAlerts() {
    const data = await get('/v1/fleet/alerts?limit=200&since=' + encodeURIComponent($('fleet-since').value));
    const tbody = $('fleet-alerts').tBodies[0];
    clear(tbody);
    if (!data.alerts.length) empty(tbody, 7, 'No alerts from any host in this window.');
    data.alerts.forEach(a => {
      const tr = document.createElement('tr');
      tr.dataset.host = a.host;
      td(tr, dateTime(a.time)); td(tr, a.host); td(tr, a.severity, 'sev sev-' + a.severity); td(tr, a.detector);
      td(tr, a.message);
      td(tr, a.exe ? base(a.exe) : '').title = a.exe || '';
      td(tr, (a.domain ? a.domain + ' ' : '') + (a.dst || ''));
      tbody.appendChild(tr);
    });
  }

  // ---- mode and status -------------------------------------------------------------------------
  const MODE_TEXT = {
    learn: 'Learn: every connection is allowed and recorded; rules can be proposed from the record.',
    interactive: 'Interactive: connections no rule covers wait until someone answers a prompt.',
    enforce: 'Enforce: connections no rule covers get the default action.',
    lockdown: 'Lockdown: only pinned rules allow traffic; everything else is blocked.',
  };
  async function refreshStatus() {
    try {
      const s = await get('/v1/status');
      state.mode = s.mode;
      if (document.activeElement !== $('mode-select')) $('mode-select').value = s.mode;
      const h = $('health');
      h.textContent = s.health;
      h.className = 'health health-' + s.health;
      h.title = (s.healthReasons || []).join('; ') || 'ok';
      setBadge('prompt-count', s.pendingPrompts || 0);
    } catch (e) { $('health').textContent = 'unreachable'; }
  }
  async function switchMode() {
    const wanted = $('mode-select').value;
    if (wanted === state.mode) return;
    $('mode-text').textContent = 'Switch from ' + state.mode + ' to ' + wanted + '? ' + MODE_TEXT[wanted];
    const d = $('mode-dialog');
    d.returnValue = '';
    d.addEventListener('close', async () => {
      if (d.returnValue !== 'confirm') { $('mode-select').value = state.mode; return; }
      try {
        const r = await post('/v1/mode', { mode: wanted });
        toast(r.changed ? 'Mode switched from ' + r.previous + ' to ' + r.mode : 'Mode is already ' + r.mode);
      } catch (e) { toast(e.message, true); }
      refreshStatus();
    }, { once: true });
    d.showModal();
  }

  // ---- start -----------------------------------------------------------------------------------
  async function start() {
    const session = await get('/session');
    state.csrf = session.csrf;
    state.header = session.header;
    state.role = session.role || 'admin';
    if (state.role === 'viewer') {
      document.body.classList.add('viewer');
      $('role').hidden = false;
      $('mode-select').disabled = true;
      $('mode-select').title = 'read-only session: switching the mode needs the admin login';
    }
    const refilter = () => { const f = currentFilter(); [...$('live-table').tBodies[0].rows].forEach(tr => applyFilter(tr, f)); };
    $('live-search').addEventListener('input', refilter);
    $('live-verdict').addEventListener('change', refilter);
    const liveBody = $('live-table').tBodies[0];
    liveBody.addEventListener('click', (ev) => { const tr = rowOf(ev.target); if (tr) explain(tr.dataset.id); });
    liveBody.addEventListener('keydown', (k) => {
      const tr = rowOf(k.target);
      if (tr && (k.key === 'Enter' || k.key === ' ')) { k.preventDefault(); explain(tr.dataset.id); }
    });
    $('traffic-minutes').addEventListener('change', () => loadTraffic().catch(e => toast(e.message, true)));
    $('traffic-refresh').addEventListener('click', () => loadTraffic().catch(e => toast(e.message, true)));
    $('rule-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await runEdit($('rule-input').value)) $('rule-input').value = '';
    });
    $('alerts-unacked').addEventListener('change', () => loadAlerts().catch(e => toast(e.message, true)));
    $('alerts-ack-all').addEventListener('click', async () => {
      if (!await confirmDialog('Acknowledge all alerts?', 'Every alert shown now is marked as seen.', 'Acknowledge all')) return;
      try { await post('/v1/alerts/ack-all'); toast('All alerts acknowledged'); } catch (e) { toast(e.message, true); }
      loadAlerts();
    });
    $('proposals-refresh').addEventListener('click', () => loadProposals().catch(e => toast(e.message, true)));
    $('proposals-unhide').addEventListener('click', () => { localStorage.removeItem(rejectedKey); loadProposals().catch(e => toast(e.message, true)); });
    $('mode-select').addEventListener('change', switchMode);
    $('fleet-refresh').addEventListener('click', () => loadFleet().catch(fleetError));
    $('fleet-since').addEventListener('change', () => Promise.all([loadFleetTop(), loadFleetAlerts()]).catch(fleetError));
    $('fleet-expect-form').addEventListener('submit', (e) => { e.preventDefault(); loadFleetHosts().catch(fleetError); });
    $('fleet-search-form').addEventListener('submit', (e) => { e.preventDefault(); fleetSearch(); });
    $('logout').addEventListener('click', async () => { try { await post('/logout'); } finally { location.href = '/login'; } });
    window.addEventListener('hashchange', route);
    await refreshStatus();
    setInterval(refreshStatus, 5000);
    setInterval(() => { if (state.view === 'prompts') loadPrompts().catch(() => {}); }, 2000);
    // Heartbeats are every 10 s: refreshing the fleet view faster would only re-read the same rows.
    setInterval(() => { if (state.view === 'fleet' && !document.hidden) loadFleet().catch(fleetError); }, 10000);
    loadAlerts().catch(() => {});
    showLive().catch(e => toast(e.message, true));
    route();
  }
  start().catch(e => toast(e.message, true));
})();
