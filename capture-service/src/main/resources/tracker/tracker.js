/* lead-platform tracker (capture-service README). data-require-consent on the tag: nothing runs before
   lpTracker.consent(). Global Privacy Control turns it off. A session ends after 30 min without activity or
   when a page lands with another campaign (UTM, ad click id); its events carry how the session landed.
   Served without comments and indentation (TrackerScriptResource): keep comments on lines of their own. */
(function (w, d, n) {
  'use strict';
  if (w.lpTracker) return;
  var tag = d.currentScript, L = location;
  var base = tag && tag.src ? tag.src.replace(/\/tracker\.js([?#].*)?$/, '') : '/api/capture';
  var endpoint = base + '/track', KEY = 'lp_vid', SKEY = 'lp_ses', MAX = 100;
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var DOWNLOAD = /\.(pdf|zip|rar|7z|gz|tgz|docx?|xlsx?|pptx?|csv|odt|ods|odp|rtf|epub|mp3|mp4|mov|dmg|exe|msi)$/i;
  var CLICK = ['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'fbclid', 'ttclid', 'li_fat_id', 'twclid'];
  var UTM = ['source', 'medium', 'campaign', 'term', 'content'];
  var queue = [], timer = null, vid = null, ses = null, fresh = false, on = false, visibleMs = 0, shownAt = null, viewSent = false;

  function uuid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
    return h;
  }

  function get(k) { try { return w.localStorage.getItem(k); } catch (e) { return null; } }
  function put(k, v) { try { w.localStorage.setItem(k, v); } catch (e) { return; } }

  function visitorId() {
    var m = d.cookie.match(/(?:^|;\s*)lp_vid=([^;]+)/), id = m && m[1];
    if (!UUID.test(id || '')) id = get(KEY);
    if (!UUID.test(id || '')) id = uuid();
    put(KEY, id);
    d.cookie = KEY + '=' + id + '; path=/; max-age=63072000; SameSite=Lax' + (L.protocol === 'https:' ? '; Secure' : '');
    return id;
  }

  function param(k) {
    var m = L.search.match(new RegExp('[?&]' + k + '=([^&#]*)'));
    try { return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')).slice(0, 200) : ''; } catch (e) { return ''; }
  }

  function touch() { ses.last = Date.now(); put(SKEY, JSON.stringify(ses)); }

  /* the session and how it landed: referrer host, UTM, the name of an ad click id (never its value) */
  function session() {
    var utm = {}, click = '', ref = '', s = null, i;
    for (i = 0; i < 5; i++) if (param('utm_' + UTM[i])) utm[UTM[i]] = param('utm_' + UTM[i]);
    for (i = 0; i < CLICK.length && !click; i++) if (param(CLICK[i])) click = CLICK[i];
    var camp = [utm.source, utm.medium, utm.campaign, click].join('|');
    try { s = JSON.parse(get(SKEY)); } catch (e) { s = null; }
    if (!s || !s.id || Date.now() - s.last > 18e5 || (camp !== '|||' && camp !== s.camp)) {
      try { ref = new URL(d.referrer).host; } catch (e) { ref = ''; }
      s = { id: uuid(), camp: camp, ref: ref === L.host ? '' : ref, utm: utm, click: click };
      fresh = true;
    }
    return s;
  }

  function zone() { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { return ''; } }

  function send(final) {
    if (timer) { clearTimeout(timer); timer = null; }
    while (queue.length) {
      var body = JSON.stringify({ events: queue.splice(0, MAX) }), sent = false;
      if (final && n.sendBeacon) { try { sent = n.sendBeacon(endpoint, body); } catch (e) { sent = false; } }
      /* text/plain: a simple CORS request, no preflight; best effort */
      if (!sent && w.fetch) w.fetch(endpoint, { method: 'POST', body: body, keepalive: true, mode: 'no-cors', credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' } })['catch'](function () { return null; });
    }
  }

  /* page address without query or fragment: they may carry personal data */
  function track(type, props) {
    if (!on) return;
    var e = { visitorId: vid, type: type, occurredAt: new Date().toISOString(), url: L.origin + L.pathname,
      sessionId: ses.id, utm: ses.utm };
    if (ses.ref) e.referrer = ses.ref;
    if (ses.click) e.clickId = ses.click;
    for (var k in props) if (Object.prototype.hasOwnProperty.call(props, k)) e[k] = props[k];
    touch();
    queue.push(e);
    if (queue.length >= MAX) send(false);
    else if (!timer) timer = setTimeout(function () { send(false); }, 5000);
  }

  /* one page_view per page with the visible time, sent when the page is first hidden (closed, switched, left) */
  function pageDone() {
    if (!on) return;
    if (!viewSent) {
      viewSent = true;
      var ms = visibleMs + (shownAt !== null ? Date.now() - shownAt : 0);
      track('page_view', { durationSeconds: Math.min(86400, Math.round(ms / 1000)), sessionStart: fresh });
    }
    send(true);
  }

  function stamp(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = d.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  /* forms get the visitor id and the browser's IANA time zone as hidden fields */
  function stampForm(form) {
    if (!form || form.tagName !== 'FORM') return;
    stamp(form, 'visitorId', vid);
    if (zone()) stamp(form, 'timeZone', zone());
  }

  function start() {
    if (on || n.globalPrivacyControl) return;
    on = true;
    vid = w.lpTracker.visitorId = visitorId();
    ses = session();
    touch();
    w.lpTracker.timeZone = zone();
    shownAt = d.visibilityState === 'hidden' ? null : Date.now();
    d.addEventListener('visibilitychange', function () {
      if (d.visibilityState === 'hidden') {
        if (shownAt !== null) { visibleMs += Date.now() - shownAt; shownAt = null; }
        pageDone();
      } else if (shownAt === null) {
        shownAt = Date.now();
        touch();
      }
    });
    w.addEventListener('pagehide', pageDone);
    d.addEventListener('click', function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
      if (a && (a.hasAttribute('download') || DOWNLOAD.test((a.pathname || '').toLowerCase()))) {
        track('download', { asset: a.protocol + '//' + a.host + a.pathname });
        send(true);
      }
    }, true);
    d.addEventListener('submit', function (ev) { stampForm(ev.target); }, true);
    var forms = d.getElementsByTagName('form');
    for (var i = 0; i < forms.length; i++) stampForm(forms[i]);
  }

  /* lpTracker.track('webinar', {asset: 'w-12'}); configurator, chat likewise */
  w.lpTracker = { visitorId: null, timeZone: null, track: track, flush: function () { send(false); }, consent: start };
  if (!(tag && tag.hasAttribute('data-require-consent'))) {
    if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start); else start();
  }
})(window, document, navigator);
