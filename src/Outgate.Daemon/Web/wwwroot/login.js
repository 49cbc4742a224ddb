'use strict';
// Logs in with the token from the form or from the link's fragment (#token=...). The fragment never
// reaches the server or the Referer; it is wiped from the address bar and history at once.
(function () {
  const form = document.getElementById('login-form');
  const input = document.getElementById('token');
  const error = document.getElementById('login-error');

  async function login(token) {
    error.hidden = true;
    let response;
    try {
      response = await fetch('/login', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: token.trim() }),
      });
    } catch (e) {
      show('cannot reach outgated: ' + e.message);
      return;
    }
    if (response.ok) { location.replace('/#/live'); return; }
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    show((body.error || ('login failed: ' + response.status)) + (body.hint ? ' — ' + body.hint : ''));
  }

  function show(text) {
    error.textContent = text;
    error.hidden = false;
    input.focus();
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); login(input.value); });

  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    history.replaceState(null, '', '/login');
    login(decodeURIComponent(match[1]));
  }
})();
