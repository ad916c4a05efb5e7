// Runs tracker.js in a minimal browser stand-in, page after page with one cookie jar and localStorage, and
// prints what it stored and sent (TrackingTest).
// usage: node tracker-harness.js <tracker.js>
'use strict';
const vm = require('vm');
const fs = require('fs');
const webcrypto = require('crypto').webcrypto;

const source = fs.readFileSync(process.argv[2], 'utf8');
const storage = {};
let cookie = '';

function element(tag) {
  return {
    tagName: tag.toUpperCase(), children: [],
    appendChild(child) { this.children.push(child); },
    querySelector(selector) {
      const name = /name="([^"]+)"/.exec(selector)[1];
      return this.children.find(c => c.name === name) || null;
    }
  };
}

/** Loads the snippet on one page; clicks, hides the page after ~1 s and answers what it sent and stamped. */
function page(href, referrer, clicks) {
  const url = new URL(href);
  const docListeners = {};
  const winListeners = {};
  const beacons = [];
  const form = element('form');
  const document = {
    currentScript: { src: 'https://gateway.test/api/capture/tracker.js', hasAttribute() { return false; } },
    get cookie() { return cookie; },
    set cookie(value) { cookie = value.split(';')[0]; },
    referrer: referrer,
    readyState: 'complete',
    visibilityState: 'visible',
    addEventListener(type, fn) { (docListeners[type] = docListeners[type] || []).push(fn); },
    getElementsByTagName() { return [form]; },
    createElement(tag) { return element(tag); }
  };
  const window = {
    addEventListener(type, fn) { (winListeners[type] = winListeners[type] || []).push(fn); },
    localStorage: { getItem: k => (k in storage ? storage[k] : null), setItem: (k, v) => { storage[k] = String(v); } },
    crypto: webcrypto
  };
  const navigator = { sendBeacon(u, body) { beacons.push({ url: u, body: String(body) }); return true; } };
  const location = { origin: url.origin, pathname: url.pathname, protocol: url.protocol, host: url.host, search: url.search };
  const context = vm.createContext({
    window, document, navigator, location, crypto: webcrypto, setTimeout, clearTimeout, Date, JSON, Math, Object,
    Uint8Array, URL, Intl, RegExp
  });
  vm.runInContext(source, context);
  const fire = (listeners, type, event) => (listeners[type] || []).forEach(fn => fn(event || {}));
  (clicks || []).forEach(target => fire(docListeners, 'click', { target }));
  return new Promise(resolve => setTimeout(() => {
    document.visibilityState = 'hidden';
    fire(docListeners, 'visibilitychange');
    fire(winListeners, 'pagehide');
    const field = name => form.children.find(c => c.name === name);
    resolve({
      visitorId: window.lpTracker.visitorId,
      formVisitorId: field('visitorId') ? field('visitorId').value : null,
      hiddenType: field('visitorId') ? field('visitorId').type : null,
      formTimeZone: field('timeZone') ? field('timeZone').value : null,
      beacons: beacons
    });
  }, 1100));
}

const link = (pathname) => ({
  pathname, protocol: 'https:', host: 'example.com', hasAttribute() { return false; }, closest() { return this; }
});

(async () => {
  // 1: lands from a Google ad with UTM parameters; clicks a plain link and a PDF
  const landing = await page('https://example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc123&email=x',
    'https://www.google.com/search?q=private+words', [link('/about'), link('/files/ebook.pdf')]);
  const afterLanding = JSON.parse(storage.lp_ses);
  // 2: the next page of the same visit (internal referrer, no UTM)
  const next = await page('https://example.com/features', 'https://example.com/pricing');
  // 3: back after 31 minutes without activity
  const s = JSON.parse(storage.lp_ses);
  s.last = Date.now() - 31 * 60 * 1000;
  storage.lp_ses = JSON.stringify(s);
  const later = await page('https://example.com/blog', 'https://news.example.org/item?id=1');
  // 4: within the session, but a new campaign
  const campaign = await page('https://example.com/webinar?utm_source=newsletter&utm_medium=email&utm_campaign=dec', '');
  process.stdout.write(JSON.stringify({
    visitorId: landing.visitorId,
    formVisitorId: landing.formVisitorId,
    hiddenType: landing.hiddenType,
    formTimeZone: landing.formTimeZone,
    expectedTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    cookie: cookie,
    stored: storage.lp_vid || null,
    storedSession: afterLanding,
    beacons: landing.beacons,
    pages: [landing, next, later, campaign].map(p => p.beacons.map(b => JSON.parse(b.body).events)
      .reduce((a, b) => a.concat(b), []).find(e => e.type === 'page_view'))
  }));
})();
