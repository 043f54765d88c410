// The venue's page: numbers only, refreshed every few seconds from the same
// read-only link with ?format=json.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const url = location.pathname + '?format=json';
  async function refresh() {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (!res.ok) {
        $('v-room').textContent = '–';
        $('v-updated').textContent = res.status === 404 ? 'never: this link was revoked' : 'failed';
        return;
      }
      const d = await res.json();
      $('v-event').textContent = d.event || 'Live headcount';
      $('v-room').textContent = String(d.in_room);
      $('v-checked').textContent = String(d.checked_in);
      $('v-capacity').textContent = d.capacity ? 'of ' + d.capacity + ' allowed' : '';
      $('v-level').textContent = d.capacity ? Math.round((100 * d.in_room) / d.capacity) + '%' : '–';
      $('venue').className = 'venue ' + (d.capacity_level || '');
      $('v-updated').textContent = new Date(d.updated_at).toLocaleTimeString();
    } catch (e) {
      $('v-updated').textContent = 'offline, retrying';
    }
  }
  refresh();
  setInterval(refresh, 2000);
})();
