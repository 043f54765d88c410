// Frontdesk organizer pages: plain JavaScript, no framework, nothing from
// a CDN. Every change goes to /api/ with the session's CSRF token; the live
// figures arrive by server-sent events (/api/live). Text from the server is
// only ever set with textContent, never parsed as HTML.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  // The door's language (i18n.js): t('English') and tn(n, 'one', 'other').
  const { t, tn } = window.fdWords;
  const state = { csrf: '', role: '', can: {}, live: null, source: null, timer: 0 };

  // Times as the door's language writes them ("19:10" on a German door).
  const hhmm = (iso) => (iso ? new Date(iso).toLocaleTimeString(
    [window.fdWords.language, ...navigator.languages], { hour: '2-digit', minute: '2-digit' }) : '');

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  function toast(text, bad) {
    const t = $('toast');
    t.textContent = text;
    t.classList.toggle('bad', !!bad);
    t.hidden = false;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => { t.hidden = true; }, 4000);
  }

  async function api(path, body) {
    const opts = body === undefined ? {} : {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf },
      body: JSON.stringify(body),
    };
    const res = await fetch(path, Object.assign({ credentials: 'same-origin' }, opts));
    if (res.status === 401) { showLogin(); throw new Error(t('Please log in')); }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (!res.ok) throw new Error(data.error || t('Error %d', res.status));
    return data;
  }

  async function act(path, body, button) {
    if (button) button.disabled = true;
    try {
      const d = await api(path, body);
      toast(d.message || t('Done'), !d.ok);
      if (!$('tab-find').hidden && $('q').value) search();
      return d;
    } catch (e) {
      toast(e.message, true);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---- login -------------------------------------------------------------
  function showLogin(message) {
    if (state.source) { state.source.close(); state.source = null; }
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('pin').value = '';
    $('pin').focus();
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const pin = $('pin').value;
    $('pin').value = '';
    try {
      const res = await fetch('/login', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pin }),
      });
      const d = await res.json().catch(() => ({}));
      if (!res.ok) { $('login-error').textContent = d.error || t('Could not log in'); return; }
      start();
    } catch (e) {
      $('login-error').textContent = t('The door cannot be reached');
    }
  });

  $('logout').addEventListener('click', async () => {
    try { await api('/api/logout', {}); } catch (e) { /* logged out anyway */ }
    showLogin();
  });

  // ---- live figures ------------------------------------------------------
  function render(live) {
    state.live = live;
    const s = live.stats;
    $('event-name').textContent = s.event || 'Frontdesk';
    $('t-checked').textContent = s.checked_in + ' / ' + s.rsvps;
    $('t-walkins').textContent = String(s.walk_ins);
    $('t-room').textContent = s.capacity ? s.in_room + ' / ' + s.capacity : String(s.in_room);
    $('t-noshow').textContent = String(s.no_shows_so_far);
    const tile = $('t-room').parentElement;
    tile.classList.toggle('near', s.capacity_level === 'near');
    tile.classList.toggle('full', s.capacity_level === 'full');
    const banner = $('capacity-banner');
    banner.hidden = !(s.capacity_level === 'near' || s.capacity_level === 'full');
    banner.className = 'banner ' + s.capacity_level;
    banner.textContent = s.capacity_level === 'full'
      ? t('The room is full: %d of %d in the room.', s.in_room, s.capacity)
      : t('Nearly full: %d of %d in the room (90%%).', s.in_room, s.capacity);
    if (document.activeElement !== $('capacity')) $('capacity').value = s.capacity;
    renderRecent(live.recent || []);
    renderChart(live.arrivals || [], live.forecast);
    renderHealth(live);
    renderDoubles(live.double_entries || []);
  }

  // People admitted at two doors during a partition (who, where, when).
  function renderDoubles(list) {
    $('doubles-card').hidden = list.length === 0;
    $('doubles').replaceChildren(...list.map((d) => el('li', {
      textContent: d.name + ': ' + d.checkins.map((c) => t('%s at %s', c.door || t('a door'), hhmm(c.at))).join(', '),
    })));
  }

  function personActions(p, checkinUuid) {
    const acts = el('div', { className: 'acts' });
    const add = (label, path, body, cls) => {
      const b = el('button', { type: 'button', textContent: label, className: cls || '' });
      b.addEventListener('click', () => act(path, body, b));
      acts.append(b);
    };
    const id = p.attendee_id || p.id;
    const status = p.status || (p.in_room === false ? 'out' : 'in');
    if (status === 'not-in') add(t('Check in'), '/api/checkin', { attendee_id: id }, 'primary');
    if (status === 'in' || status === 'out') add(t('Reprint'), '/api/reprint', { attendee_id: id });
    if (status === 'in') add(t('Left'), '/api/left', { attendee_id: id });
    if (status === 'out') add(t('Back in'), '/api/returned', { attendee_id: id });
    if (state.can.undo && (status === 'in' || status === 'out') && checkinUuid)
      add(t('Undo'), '/api/undo', { checkin_uuid: checkinUuid }, 'danger');
    return acts;
  }

  // Rebuilt only when it changed: a button must not be swapped for a new
  // one under a thumb about to tap it.
  let recentShown = '';
  function renderRecent(list) {
    const key = JSON.stringify(list) + state.can.undo;
    if (key === recentShown) return;
    recentShown = key;
    const ul = $('recent');
    ul.replaceChildren();
    $('recent-empty').hidden = list.length > 0;
    for (const r of list) {
      const status = r.in_room ? 'in' : 'out';
      const meta = [hhmm(r.at), r.door, r.company].filter(Boolean).join(' · ');
      const who = el('div', { className: 'who' },
        el('div', { className: 'name', textContent: r.name },
          r.walk_in ? el('span', { className: 'badge', textContent: t('walk-in') }) : null,
          status === 'out' ? el('span', { className: 'badge out', textContent: t('left') }) : null),
        el('div', { className: 'meta', textContent: meta }));
      ul.append(el('li', { }, who, personActions(Object.assign({ status }, r), r.uuid)));
    }
  }

  function renderChart(buckets, forecast) {
    const svg = $('chart');
    const ns = 'http://www.w3.org/2000/svg';
    svg.replaceChildren();
    const shown = buckets.slice(-12);
    if (!shown.length) {
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', '160'); label.setAttribute('y', '60'); label.setAttribute('text-anchor', 'middle');
      label.textContent = t('Arrivals appear here');
      svg.append(label);
    }
    const most = Math.max(1, ...shown.map((b) => b.n));
    const w = 320 / Math.max(shown.length, 4);
    shown.forEach((b, i) => {
      const h = Math.round((96 * b.n) / most);
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', String(i * w + 3)); r.setAttribute('y', String(100 - h));
      r.setAttribute('width', String(w - 6)); r.setAttribute('height', String(h));
      r.setAttribute('rx', '3');
      const tip = document.createElementNS(ns, 'title');
      tip.textContent = hhmm(b.at) + ': ' + b.n;
      r.append(tip);
      svg.append(r);
      if (shown.length <= 6 || i % 2 === 0) {
        const time = document.createElementNS(ns, 'text');
        time.setAttribute('x', String(i * w + w / 2)); time.setAttribute('y', '115');
        time.setAttribute('text-anchor', 'middle');
        time.textContent = hhmm(b.at);
        svg.append(time);
      }
    });
    // The headcount forecast (report/LiveForecast) shows here when the live
    // feed carries one, in the door's language, its room-full time written
    // like every other time on the page, where the language puts it.
    const f = $('forecast');
    f.hidden = !(forecast && forecast.text);
    f.textContent = !(forecast && forecast.text) ? ''
      : forecast.full_at && forecast.text_before_full_at
        ? forecast.text_before_full_at + hhmm(forecast.full_at) + (forecast.text_after_full_at || '')
        : forecast.text;
  }

  function renderHealth(live) {
    const ul = $('health');
    ul.replaceChildren();
    const q = live.queues || {};
    const lines = [];
    for (const h of live.health || []) lines.push([h.name + ': ' + h.message, !h.ok]);
    if (q.printer === false) lines.push([t('No printer set up: no badges print'), false]);
    else lines.push([q.badges_waiting ? tn(q.badges_waiting, '%d badge waiting to print', '%d badges waiting to print') : t('No badges waiting'), false]);
    if (q.badges_failed) lines.push([tn(q.badges_failed, '%d badge failed to print', '%d badges failed to print'), true]);
    if (q.badges_held) lines.push([tn(q.badges_held, '%d badge held back (waited too long to print; reprint it if still wanted)', '%d badges held back (waited too long to print; reprint the ones still wanted)'), true]);
    if (q.sync === false) lines.push([t('No sync service set up: attendance stays at the door'), false]);
    else lines.push([q.sync_pending ? tn(q.sync_pending, '%d check-in waiting to sync', '%d check-ins waiting to sync') : t('Everything synced'), false]);
    if (q.sync_failed) lines.push([tn(q.sync_failed, '%d check-in could not be synced', '%d check-ins could not be synced'), true]);
    if (live.print_problem) lines.push([live.print_problem, true]);
    if (live.last_error) lines.push([live.last_error, true]);
    for (const [text, bad] of lines) ul.append(el('li', { className: bad ? 'bad' : '', textContent: text }));
  }

  function connect() {
    if (state.source) state.source.close();
    const src = new EventSource('/api/live');
    state.source = src;
    src.addEventListener('live', (ev) => {
      $('live-dot').classList.add('live');
      render(JSON.parse(ev.data));
    });
    src.addEventListener('logout', () => showLogin());
    src.onerror = () => {
      $('live-dot').classList.remove('live');
      // A closed stream after a logout elsewhere: find out whether we are still in.
      fetch('/api/session', { credentials: 'same-origin' }).then((r) => {
        if (r.status === 401) showLogin(t('You were logged out.'));
      }).catch(() => {});
    };
  }

  // ---- search ------------------------------------------------------------
  // Where a person's RSVP stands, when it is not a yes.
  const rsvpWords = (rsvp) => ({
    waitlist: t('RSVP: on the waitlist'), no: t('RSVP: not coming'), cancelled: t('RSVP: cancelled'),
  })[rsvp] || '';

  let searchTimer = 0;
  let searchSeq = 0;
  async function search() {
    const q = $('q').value.trim();
    const seq = ++searchSeq;
    if (!q) { $('results').replaceChildren(); $('results-empty').hidden = true; return; }
    try {
      const d = await api('/api/search?q=' + encodeURIComponent(q));
      if (seq !== searchSeq) return;  // a newer keystroke won
      const ul = $('results');
      ul.replaceChildren();
      $('results-empty').hidden = d.results.length > 0;
      for (const p of d.results) {
        const label = p.status === 'in' ? t('in') : p.status === 'out' ? t('left') : '';
        const meta = [p.company, rsvpWords(p.rsvp),
          p.at ? t('in at %s', hhmm(p.at)) : ''].filter(Boolean).join(' · ');
        const who = el('div', { className: 'who' },
          el('div', { className: 'name', textContent: p.name },
            label ? el('span', { className: 'badge ' + p.status, textContent: label }) : null),
          el('div', { className: 'meta', textContent: meta }));
        ul.append(el('li', {}, who, personActions(p, p.checkin_uuid)));
      }
    } catch (e) { /* the toast or the login screen says it */ }
  }
  $('q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 150);
  });

  // ---- forms -------------------------------------------------------------
  $('walkin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const body = Object.fromEntries(new FormData(form).entries());
    let d = await act('/api/walkin', body, form.querySelector('button'));
    if (d && d.verdict === 'is-this-you' && d.who) {
      // Someone of that name is on the list or inside: a second record would
      // count them twice. The organizer says which it is.
      if (confirm(d.message + '\n\n' + t('OK: the same person (check %s in).', d.who.name) + '\n' +
                  t('Cancel: someone else of that name (a new walk-in).'))) {
        d = await act('/api/checkin', { attendee_id: String(d.who.id) }, form.querySelector('button'));
      } else {
        d = await act('/api/walkin', Object.assign({}, body, { new: '1' }), form.querySelector('button'));
      }
    }
    if (d && d.ok) form.reset();
  });
  $('capacity-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    act('/api/event', { capacity: String(Number($('capacity').value) || 0) }, ev.target.querySelector('button'));
  });

  // ---- tabs --------------------------------------------------------------
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => {
      for (const o of document.querySelectorAll('.tabs button')) o.classList.toggle('on', o === b);
      for (const t of document.querySelectorAll('.tab')) t.hidden = t.id !== 'tab-' + b.dataset.tab;
      if (b.dataset.tab === 'find') $('q').focus();
    });
  }

  // ---- start -------------------------------------------------------------
  async function start() {
    let s;
    try { s = await api('/api/session'); } catch (e) { return; }
    state.csrf = s.csrf;
    state.role = s.role;
    state.can = s.can || {};
    $('login').hidden = true;
    $('app').hidden = false;
    $('event-name').textContent = s.event || 'Frontdesk';
    $('who-am-i').textContent = s.role === 'organizer' ? t('Logged in as organizer.') : t('Logged in as volunteer.');
    for (const e of document.querySelectorAll('.organizer-only')) e.hidden = !state.can.settings;
    connect();
  }

  fetch('/api/session', { credentials: 'same-origin' })
    .then((r) => (r.status === 401 ? showLogin() : start()))
    .catch(() => showLogin(t('The door cannot be reached')));
})();
