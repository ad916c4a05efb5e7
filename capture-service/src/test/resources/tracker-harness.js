// Runs tracker.js in a minimal browser stand-in and prints what it stored and sent (TrackingTest).
// usage: node tracker-harness.js <tracker.js>
'use strict';
const vm = require('vm');
const fs = require('fs');
const webcrypto = require('crypto').webcrypto;

const docListeners = {};
const winListeners = {};
const beacons = [];
const storage = {};
let cookie = '';

function element(tag) {
  return {
    tagName: tag.toUpperCase(), children: [],
    appendChild(child) { this.children.push(child); },
    querySelector() { return this.children.find(c => c.name === 'visitorId') || null; }
  };
}
const form = element('form');
const pdfLink = {
  pathname: '/files/ebook.pdf', protocol: 'https:', host: 'example.com',
  hasAttribute() { return false; }, closest() { return this; }
};
const plainLink = {
  pathname: '/about', protocol: 'https:', host: 'example.com',
  hasAttribute() { return false; }, closest() { return this; }
};
const document = {
  currentScript: { src: 'https://gateway.test/api/capture/tracker.js', hasAttribute() { return false; } },
  get cookie() { return cookie; },
  set cookie(value) { cookie = value.split(';')[0]; },
  readyState: 'complete',
  visibilityState: 'visible',
  addEventListener(type, fn) { (docListeners[type] = docListeners[type] || []).push(fn); },
  getElementsByTagName() { return [form]; },
  createElement(tag) { return element(tag); }
};
const window = {
  addEventListener(type, fn) { (winListeners[type] = winListeners[type] || []).push(fn); },
  localStorage: { getItem: k => (k in storage ? storage[k] : null), setItem: (k, v) => { storage[k] = String(v); } }
};
const navigator = { sendBeacon(url, body) { beacons.push({ url: url, body: String(body) }); return true; } };
const location = { origin: 'https://example.com', pathname: '/pricing', protocol: 'https:' };
window.crypto = webcrypto;

const context = vm.createContext({
  window, document, navigator, location, crypto: webcrypto, setTimeout, clearTimeout, Date, JSON, Math, Object, Uint8Array
});
vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), context);

const fire = (listeners, type, event) => (listeners[type] || []).forEach(fn => fn(event || {}));
fire(docListeners, 'click', { target: plainLink });
fire(docListeners, 'click', { target: pdfLink });
setTimeout(() => {
  document.visibilityState = 'hidden';
  fire(docListeners, 'visibilitychange');
  fire(winListeners, 'pagehide');
  const hidden = form.children.find(c => c.name === 'visitorId');
  process.stdout.write(JSON.stringify({
    visitorId: window.lpTracker.visitorId,
    formVisitorId: hidden ? hidden.value : null,
    hiddenType: hidden ? hidden.type : null,
    cookie: cookie,
    stored: storage.lp_vid || null,
    beacons: beacons
  }));
}, 1100);
