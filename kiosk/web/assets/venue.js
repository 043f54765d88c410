// The venue's page: numbers only, refreshed every few seconds from the same
// read-only link with ?format=json.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const { t, tn } = window.fdWords;  // the door's language (i18n.js)
  const url = location.pathname + '?format=json';
  async function refresh() {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (res.status === 404) {
        // Revoked: show no figure any more, and stop asking.
        for (const id of ['v-room', 'v-checked', 'v-level']) $(id).textContent = '–';
        $('v-capacity').textContent = '';
        $('venue').className = 'venue';
        $('v-status').textContent = t('This link was revoked by the organizers.');
        clearInterval(timer);
        return;
      }
      if (!res.ok) {
        $('v-status').textContent = t('The door did not answer; retrying.');
        return;
      }
      const d = await res.json();
      $('v-event').textContent = d.event || t('Live headcount');
      $('v-room').textContent = String(d.in_room);
      $('v-checked').textContent = String(d.checked_in);
      $('v-capacity').textContent = d.capacity ? tn(d.capacity, 'of %d allowed', 'of %d allowed') : '';
      $('v-level').textContent = d.capacity ? Math.round((100 * d.in_room) / d.capacity) + '%' : '–';
      $('venue').className = 'venue ' + (d.capacity_level || '');
      $('v-status').textContent =
        t('Updated %s · refreshes by itself',
          new Date(d.updated_at).toLocaleTimeString([window.fdWords.language, ...navigator.languages]));
    } catch (e) {
      $('v-status').textContent = t('The door cannot be reached; retrying.');
    }
  }
  const timer = setInterval(refresh, 2000);
  refresh();
})();
