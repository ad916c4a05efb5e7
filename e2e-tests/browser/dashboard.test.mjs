// The marketer's dashboard in real headless Chromium, through the gateway of a running suite:
// a marketer logs in on Keycloak's own login page, the numbers on the page equal the API's, a filter changes
// them (and the URL), a table's CSV downloads, a sales user is refused.
// usage: node dashboard.test.mjs GATEWAY_URL [--screenshot FILE]
//   env KEYCLOAK_URL (default http://127.0.0.1:8180), CHROMIUM (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const SCREENSHOT = args.includes('--screenshot') ? args[args.indexOf('--screenshot') + 1] : null;
const GATEWAY = (args.filter((a) => !a.startsWith('--') && a !== SCREENSHOT)[0] || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const KEYCLOAK = (process.env.KEYCLOAK_URL || 'http://127.0.0.1:8180').replace(/\/+$/, '');
// The page's address must be a redirect URI of the client leads-web (ports 8080-8084, 3000, 4200, 5173: Keycloak
// honours a wildcard only at the end, so http://127.0.0.1:*/* matches no other port). To try a gateway on another
// port, BROWSER_ORIGIN=http://127.0.0.1:8080 makes the browser use that origin while this test forwards every
// request of it to GATEWAY_URL (Playwright routing): nothing reaches the real port 8080.
const ORIGIN = (process.env.BROWSER_ORIGIN || GATEWAY).replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RUN = randomUUID().slice(0, 8);
const CHANNEL = `e2e-${RUN}`;
const CAMPAIGN = `camp-${RUN}`;
const TODAY = new Date().toISOString().slice(0, 10);
const FROM = new Date(Date.now() - 29 * 864e5).toISOString().slice(0, 10);

let failures = 0;
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.stack || e}`);
    throw e;
  }
}

async function token(user) {
  const response = await fetch(`${KEYCLOAK}/realms/leads/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'leads-web', username: user, password: user })
  });
  assert.equal(response.status, 200, `token for ${user}`);
  return (await response.json()).access_token;
}

async function call(method, path, { bearer, json, form } = {}) {
  const headers = {};
  let body;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form); }
  const response = await fetch(GATEWAY + path, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text && (text.startsWith('{') || text.startsWith('[')) ? JSON.parse(text) : text };
}

function query(filters) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  return q.toString();
}

/** What the page shows in its cards, read from the APIs the same way. */
async function expectedCards(bearer, filters) {
  const get = async (report) => {
    const r = await call('GET', `/api/kpi/reports/${report}?${query(filters)}`, { bearer });
    assert.equal(r.status, 200, `${report}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const [website, leads, money] = await Promise.all([get('website'), get('leads'), get('money')]);
  const v = (ratio) => (ratio ? ratio.value : null);
  return {
    money,
    cards: {
      visitors: website.total.visitors, sessions: website.total.sessions, newLeads: leads.total.newLeads,
      visitorToLead: v(leads.total.visitorToLead), newCustomers: money.total.newCustomers, cost: money.total.cost,
      cpl: v(money.total.cpl), cpa: v(money.total.cpa), roi: v(money.total.roi)
    }
  };
}

async function pageCards(page) {
  return page.$$eval('[data-kpi]', (cards) => Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.dataset.value])));
}

function sameNumbers(onPage, fromApi) {
  const diffs = [];
  for (const [key, value] of Object.entries(fromApi)) {
    const shown = onPage[key];
    const equal = value === null ? shown === '' : shown !== '' && Number(shown) === Number(value);
    if (!equal) diffs.push(`${key}: page ${JSON.stringify(shown)} api ${JSON.stringify(value)}`);
  }
  return diffs;
}

/** The page's numbers equal the API's; the suite may ingest meanwhile, so a mismatch reloads the page's data and looks again. */
async function assertPageEqualsApi(page, bearer, filters) {
  let diffs = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const before = await expectedCards(bearer, filters);
    const onPage = await pageCards(page);
    diffs = sameNumbers(onPage, before.cards);
    if (!diffs.length) return before;
    await reloadData(page);
  }
  assert.fail(`page and API differ: ${diffs.join('; ')}`);
}

async function reloadData(page) {
  await page.evaluate(() => document.body.setAttribute('data-state', 'stale'));
  await page.dispatchEvent('#filters', 'change');
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
}

async function login(page, user) {
  await page.waitForSelector('#username', { timeout: 30000 });
  assert.ok(page.url().startsWith(`${KEYCLOAK}/realms/leads/protocol/openid-connect/auth`), `Keycloak's login page, was ${page.url()}`);
  const auth = new URL(page.url()).searchParams;
  assert.equal(auth.get('code_challenge_method'), 'S256', 'PKCE');
  assert.equal(auth.get('client_id'), 'leads-web');
  await page.fill('#username', user);
  await page.fill('#password', user);
  await Promise.all([page.waitForURL(`${ORIGIN}/api/kpi/dashboard**`, { timeout: 30000 }), page.click('#kc-login')]);
}

async function waitFor(check, what, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.fail(`${what} within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

const marketing = await token('marketing');
/** A browser context; with BROWSER_ORIGIN its requests to that origin go to GATEWAY_URL. */
async function newContext(options) {
  const context = await browser.newContext(options);
  if (ORIGIN !== GATEWAY) {
    await context.route(`${ORIGIN}/**`, async (route) => {
      const response = await route.fetch({ url: GATEWAY + route.request().url().slice(ORIGIN.length), maxRedirects: 0 });
      await route.fulfill({ response });
    });
    // Playwright does not route the target of a redirect: Keycloak's redirect back to the page becomes a script
    // navigation (a new request, routed above); Keycloak's cookies of that answer are kept
    await context.route(/\/(login-actions\/|protocol\/openid-connect\/auth)/, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers().location || '';
      if (response.status() >= 300 && response.status() < 400 && location.startsWith(ORIGIN)) {
        const headers = { ...response.headers(), 'content-type': 'text/html' };
        delete headers.location;
        delete headers['content-length'];
        delete headers['content-security-policy'];
        await route.fulfill({ status: 200, headers, body: `<script>location.replace(${JSON.stringify(location)})</script>` });
      } else {
        await route.fulfill({ response });
      }
    });
  }
  return context;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
});
try {
  await step(`seed: a form in channel ${CHANNEL}, 3 leads there and 2 on the contact form, page views, a cost`, async () => {
    const form = await call('POST', '/api/capture/forms', {
      bearer: marketing,
      json: { key: `e2e-dash-${RUN}`, name: 'Dashboard test', channel: CHANNEL, campaign: CAMPAIGN,
        fields: [{ name: 'email', type: 'email', required: true }] }
    });
    assert.equal(form.status, 201, JSON.stringify(form.body));
    for (let i = 0; i < 5; i++) {
      const key = i < 3 ? `e2e-dash-${RUN}` : 'contact';
      const r = await call('POST', `/api/capture/forms/${key}/submissions`, {
        json: { email: `dash-${RUN}-${i}@example.com`, visitorId: randomUUID(), timeZone: 'Europe/Berlin' }
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
    }
    const visitor = randomUUID();
    const view = (path, start) => ({ visitorId: visitor, type: 'page_view', url: `https://shop.example${path}`, durationSeconds: 30,
      sessionId: `s-${RUN}`, sessionStart: start, referrer: 'www.google.com', utm: { source: 'google', medium: 'cpc', campaign: CAMPAIGN } });
    const tracked = await call('POST', '/api/capture/track', { json: { events: [view('/', true), view('/pricing', false)] } });
    assert.equal(tracked.status, 202, JSON.stringify(tracked.body));
    const cost = await call('POST', '/api/kpi/costs', {
      bearer: marketing, json: { channel: CHANNEL, campaign: CAMPAIGN, from: TODAY, to: TODAY, amount: 300, currency: 'EUR' }
    });
    assert.equal(cost.status, 201, JSON.stringify(cost.body));
    await waitFor(async () => {
      const r = await call('GET', `/api/kpi/reports/leads?${query({ from: FROM, to: TODAY, channel: CHANNEL })}`, { bearer: marketing });
      return r.status === 200 && r.body.total.newLeads === 3 ? true : r.body;
    }, 'kpi-service shows the 3 new leads of the channel');
  });

  const context = await newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await step('a marketer logs in through Keycloak and lands on the dashboard with the filters of the URL', async () => {
    await page.goto(`${ORIGIN}/api/kpi/dashboard?from=${FROM}&to=${TODAY}`);
    await login(page, 'marketing');
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60000 });
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('from'), FROM);
    assert.equal(url.searchParams.get('to'), TODAY);
    assert.equal(url.searchParams.get('code'), null, 'the code does not stay in the address');
    assert.equal(await page.textContent('#user'), 'marketing');
    assert.equal(await page.$$eval('.chart canvas', (c) => c.length) >= 3, true, 'three ECharts canvases');
  });

  await step('the numbers on the page equal the API\'s', async () => {
    const api = await assertPageEqualsApi(page, marketing, { from: FROM, to: TODAY, grain: 'day' });
    const shown = await page.textContent('[data-kpi="newLeads"] .value');
    assert.equal(shown, new Intl.NumberFormat('en-US').format(api.cards.newLeads));
    const rows = await page.$$eval('[data-table="money"] tbody tr[data-row]', (r) => r.length);
    assert.equal(rows, api.money.rows.length, 'one table row per channel and campaign');
  });

  let unfiltered;
  await step(`the channel filter (${CHANNEL}) changes the numbers and the URL`, async () => {
    unfiltered = await pageCards(page);
    await page.waitForSelector(`select[name="channel"] option[value="${CHANNEL}"]`, { state: 'attached' });
    await page.evaluate(() => document.body.setAttribute('data-state', 'stale'));
    await page.selectOption('select[name="channel"]', CHANNEL);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
    assert.equal(new URL(page.url()).searchParams.get('channel'), CHANNEL);
    const api = await assertPageEqualsApi(page, marketing, { from: FROM, to: TODAY, grain: 'day', channel: CHANNEL });
    assert.equal(api.cards.newLeads, 3);
    assert.equal(Number(api.cards.cost), 300);
    assert.equal(Number(api.cards.cpl), 100, 'CPL = 300 / 3');
    assert.notEqual(Number(unfiltered.newLeads), 3, 'the unfiltered page counted more leads');
    const filtered = await pageCards(page);
    assert.equal(filtered.newLeads, '3');
    assert.equal(await page.textContent('[data-kpi="cpl"] .parts'), '€300.00 / 3 leads');
  });

  await step('the filter survives a reload (kept in the URL)', async () => {
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60000 });
    assert.equal(await page.inputValue('select[name="channel"]'), CHANNEL);
    assert.equal((await pageCards(page)).newLeads, '3');
  });

  await step('the money table downloads as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="money"]')]);
    assert.match(download.suggestedFilename(), /^kpi-money-.*\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
    assert.equal(csv[0], 'channel,campaign,cost,newLeads,newCustomers,cpl,cpl_numerator,cpl_denominator,cpa,cpa_numerator,'
      + 'cpa_denominator,revenue,grossMargin,roi,roi_numerator,roi_denominator');
    const rows = await page.$$eval('[data-table="money"] tbody tr[data-row]', (r) => r.length);
    assert.equal(csv.length - 1, rows, 'one CSV line per table row');
    const line = csv.find((l) => l.startsWith(`${CHANNEL},${CAMPAIGN},`));
    assert.ok(line, `a line for ${CHANNEL}: ${csv.join(' | ')}`);
    const fields = line.split(',');
    assert.equal(Number(fields[2]), 300);
    assert.equal(Number(fields[3]), 3);
    assert.equal(Number(fields[5]), 100);
  });

  await step('every table has its CSV button', async () => {
    const tables = await page.$$eval('[data-table]', (t) => t.map((x) => x.dataset.table));
    const buttons = await page.$$eval('[data-csv]', (b) => b.map((x) => x.dataset.csv));
    assert.deepEqual(buttons, tables);
    assert.ok(tables.includes('email') && tables.includes('partners') && tables.includes('funnel'), tables.join(','));
  });

  if (SCREENSHOT) {
    await step(`screenshot of the unfiltered dashboard: ${SCREENSHOT}`, async () => {
      for (const [select, value] of [['channel', ''], ['grain', 'week']]) {
        await page.evaluate(() => document.body.setAttribute('data-state', 'stale'));
        await page.selectOption(`select[name="${select}"]`, value);
        await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
      }
      await page.waitForTimeout(500);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
  }

  await step('no script errors on the page', async () => {
    assert.deepEqual(consoleErrors, []);
  });

  await step('a sales user is refused with a clear message (and by the API)', async () => {
    const salesContext = await newContext();
    const salesPage = await salesContext.newPage();
    await salesPage.goto(`${ORIGIN}/api/kpi/dashboard`);
    await login(salesPage, 'sales');
    await salesPage.waitForSelector('body[data-state="refused"]', { timeout: 30000 });
    const message = await salesPage.textContent('[data-testid="refused"]');
    assert.match(message, /Signed in as sales/);
    assert.match(message, /marketing/);
    assert.equal(await salesPage.isVisible('#dashboard'), false);
    assert.equal(await salesPage.$$eval('[data-kpi]', (c) => c.length), 0, 'no numbers shown');
    const api = await call('GET', '/api/kpi/reports/leads', { bearer: await token('sales') });
    assert.equal(api.status, 403);
    await salesContext.close();
  });
  await context.close();
} catch (e) {
  if (!failures) console.log(`FAIL ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(process.exitCode ? 'browser test FAILED' : 'browser test passed');
