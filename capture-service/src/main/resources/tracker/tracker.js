/* lead-platform tracker (capture-service README). data-require-consent on the tag: nothing runs before
   lpTracker.consent(). Global Privacy Control turns it off. */
(function (w, d, n) {
  'use strict';
  if (w.lpTracker) return;
  var tag = d.currentScript;
  var base = tag && tag.src ? tag.src.replace(/\/tracker\.js([?#].*)?$/, '') : '/api/capture';
  var endpoint = base + '/track', KEY = 'lp_vid', MAX = 100, UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var DOWNLOAD = /\.(pdf|zip|rar|7z|gz|tgz|docx?|xlsx?|pptx?|csv|odt|ods|odp|rtf|epub|mp3|mp4|mov|dmg|exe|msi)$/i;
  var queue = [], timer = null, vid = null, on = false, visibleMs = 0, shownAt = null, viewSent = false;

  function uuid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16), h = '';
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
    return h;
  }

  function visitorId() {
    var m = d.cookie.match(/(?:^|;\s*)lp_vid=([^;]+)/), id = m && m[1];
    if (!UUID.test(id || '')) { try { id = w.localStorage.getItem(KEY); } catch (e) { id = null; } }
    if (!UUID.test(id || '')) id = uuid();
    try { w.localStorage.setItem(KEY, id); } catch (e) { /* cookie only */ }
    d.cookie = KEY + '=' + id + '; path=/; max-age=63072000; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
    return id;
  }

  /* page address without query or fragment: they may carry personal data */
  function here() { return location.origin + location.pathname; }

  function send(final) {
    if (timer) { clearTimeout(timer); timer = null; }
    while (queue.length) {
      var body = JSON.stringify({ events: queue.splice(0, MAX) }), sent = false;
      if (final && n.sendBeacon) { try { sent = n.sendBeacon(endpoint, body); } catch (e) { sent = false; } }
      if (!sent && w.fetch) {
        /* text/plain: a simple CORS request, no preflight */
        w.fetch(endpoint, { method: 'POST', body: body, keepalive: true, mode: 'no-cors', credentials: 'omit',
          headers: { 'Content-Type': 'text/plain' } })['catch'](function () { /* best effort */ });
      }
    }
  }

  function track(type, props) {
    if (!on) return;
    var e = { visitorId: vid, type: type, occurredAt: new Date().toISOString(), url: here() };
    for (var k in props) if (Object.prototype.hasOwnProperty.call(props, k)) e[k] = props[k];
    queue.push(e);
    if (queue.length >= MAX) send(false);
    else if (!timer) timer = setTimeout(function () { send(false); }, 5000);
  }

  function visibleSeconds() {
    var ms = visibleMs + (shownAt !== null ? Date.now() - shownAt : 0);
    return Math.min(86400, Math.round(ms / 1000));
  }

  /* one page_view per page, sent when it is first hidden (closed, switched, left) */
  function pageDone() {
    if (!on) return;
    if (!viewSent) {
      viewSent = true;
      track('page_view', { durationSeconds: visibleSeconds() });
    }
    send(true);
  }

  function stampForm(form) {
    if (!form || form.tagName !== 'FORM') return;
    var input = form.querySelector('input[name="visitorId"]');
    if (!input) {
      input = d.createElement('input');
      input.type = 'hidden';
      input.name = 'visitorId';
      form.appendChild(input);
    }
    input.value = vid;
  }

  function start() {
    if (on || n.globalPrivacyControl) return;
    on = true;
    vid = visitorId();
    w.lpTracker.visitorId = vid;
    shownAt = d.visibilityState === 'hidden' ? null : Date.now();
    d.addEventListener('visibilitychange', function () {
      if (d.visibilityState === 'hidden') {
        if (shownAt !== null) { visibleMs += Date.now() - shownAt; shownAt = null; }
        pageDone();
      } else if (shownAt === null) {
        shownAt = Date.now();
      }
    });
    w.addEventListener('pagehide', pageDone);
    d.addEventListener('click', function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
      if (!a) return;
      var path = (a.pathname || '').toLowerCase();
      if (a.hasAttribute('download') || DOWNLOAD.test(path)) {
        track('download', { asset: a.protocol + '//' + a.host + a.pathname });
        send(true);
      }
    }, true);
    d.addEventListener('submit', function (ev) { stampForm(ev.target); }, true);
    var forms = d.getElementsByTagName('form');
    for (var i = 0; i < forms.length; i++) stampForm(forms[i]);
  }

  w.lpTracker = {
    visitorId: null,
    /* lpTracker.track('webinar', {asset: 'w-12'}); configurator, chat likewise */
    track: track,
    flush: function () { send(false); },
    consent: start
  };
  if (!(tag && tag.hasAttribute('data-require-consent'))) {
    if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start); else start();
  }
})(window, document, navigator);
