/* The marketer's KPI dashboard (kpi-service README, "Dashboard"). Logs in with Keycloak's login page
   (authorization code + PKCE, public client; the code is exchanged through this service's /token so the page
   makes no cross-origin call), then shows the report APIs' numbers. Filters live in the query string. */
(function () {
  'use strict';

  var settings = JSON.parse(document.getElementById('settings').textContent);
  var PAGE = location.origin + location.pathname.replace(/\/+$/, '');
  var API = '/api/kpi/reports/';
  var store = window.sessionStorage;
  var charts = {};
  var channelOptions = {}, campaignOptions = {};
  var loadSeq = 0;

  function $(selector) { return document.querySelector(selector); }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function setState(state) { document.body.setAttribute('data-state', state); }

  // ---- login: authorization code + PKCE (RFC 7636) ------------------------------------------------------

  function base64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString(bytes) { return base64url(crypto.getRandomValues(new Uint8Array(bytes))); }

  async function login() {
    setState('login');
    var verifier = randomString(48), state = randomString(16);
    var digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    store.setItem('kpi.login', JSON.stringify({ verifier: verifier, state: state, returnTo: location.search }));
    location.assign(settings.authorizeUrl + '?' + new URLSearchParams({
      client_id: settings.clientId, redirect_uri: PAGE, response_type: 'code', scope: 'openid',
      state: state, code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256'
    }));
  }

  async function requestTokens(params) {
    var response = await fetch(settings.tokenPath, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params)
    });
    if (!response.ok) throw new Error(await problemText(response));
    var tokens = await response.json();
    tokens.expiresAt = Date.now() + tokens.expires_in * 1000;
    store.setItem('kpi.tokens', JSON.stringify(tokens));
    return tokens;
  }

  /** Back from Keycloak with ?code&state: exchange the code, then restore the filters the page had. */
  async function completeLogin(query) {
    var pending = JSON.parse(store.getItem('kpi.login') || 'null');
    store.removeItem('kpi.login');
    if (query.get('error')) throw new Error('Login failed: ' + (query.get('error_description') || query.get('error')));
    if (!pending || pending.state !== query.get('state')) throw new Error('Login failed: the answer does not belong to this page');
    await requestTokens({ grant_type: 'authorization_code', code: query.get('code'), code_verifier: pending.verifier, redirect_uri: PAGE });
    history.replaceState(null, '', PAGE + (pending.returnTo || ''));
  }

  /** A valid access token (refreshed shortly before it expires), or null: then the page logs in again. */
  async function accessToken() {
    var tokens = JSON.parse(store.getItem('kpi.tokens') || 'null');
    if (!tokens) return null;
    if (tokens.expiresAt - Date.now() < 30000) {
      try {
        tokens = await requestTokens({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      } catch (e) {
        store.removeItem('kpi.tokens');
        return null;
      }
    }
    return tokens.access_token;
  }

  function claims(jwt) {
    var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function logout() {
    var tokens = JSON.parse(store.getItem('kpi.tokens') || 'null');
    store.removeItem('kpi.tokens');
    var params = { client_id: settings.clientId, post_logout_redirect_uri: PAGE };
    if (tokens && tokens.id_token) params.id_token_hint = tokens.id_token;
    location.assign(settings.logoutUrl + '?' + new URLSearchParams(params));
  }

  function refuse(user, roles) {
    $('#dashboard').hidden = true;
    var box = $('#refused');
    box.hidden = false;
    box.textContent = 'Signed in as ' + user + ' (roles: ' + (roles.length ? roles.join(', ') : 'none') + '). '
      + 'This dashboard is for marketing: KPIs need the role marketing or admin. Sign out and sign in with a marketing account.';
    setState('refused');
  }

  function showError(message) {
    var box = $('#error');
    box.hidden = false;
    box.textContent = message;
    setState('error');
  }

  async function problemText(response) {
    try {
      var p = await response.json();
      var fields = (p.errors || []).map(function (e) { return e.field + ' ' + e.message; }).join('; ');
      return (p.title || response.status) + (p.detail ? ': ' + p.detail : '') + (fields ? ' (' + fields + ')' : '');
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  // ---- filters in the query string --------------------------------------------------------------------

  function isoDay(date) { return date.toISOString().slice(0, 10); }
  function addDays(day, n) { var d = new Date(day + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + n); return isoDay(d); }
  function daysBetween(a, b) { return Math.round((new Date(b + 'T00:00:00Z') - new Date(a + 'T00:00:00Z')) / 864e5); }

  function filtersFromUrl() {
    var q = new URLSearchParams(location.search);
    var to = q.get('to') || isoDay(new Date());
    return {
      from: q.get('from') || addDays(to, -29), to: to, grain: q.get('grain') || 'day',
      channel: q.get('channel') || '', campaign: q.get('campaign') || ''
    };
  }

  function writeUrl(f) {
    var q = new URLSearchParams();
    ['from', 'to', 'grain', 'channel', 'campaign'].forEach(function (k) { if (f[k]) q.set(k, f[k]); });
    history.replaceState(null, '', PAGE + '?' + q);
  }

  function formFilters() {
    var form = $('#filters');
    return {
      from: form.from.value, to: form.to.value, grain: form.grain.value,
      channel: form.channel.value, campaign: form.campaign.value
    };
  }

  function fillForm(f) {
    var form = $('#filters');
    form.from.value = f.from;
    form.to.value = f.to;
    form.grain.value = f.grain;
    ensureOption(form.channel, f.channel);
    ensureOption(form.campaign, f.campaign);
    form.channel.value = f.channel;
    form.campaign.value = f.campaign;
  }

  function ensureOption(select, value) {
    if (!value) return;
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return;
    select.appendChild(el('option', { value: value, text: value }));
  }

  function refreshOptions(select, values, current) {
    var keep = select.options[0];
    select.innerHTML = '';
    select.appendChild(keep);
    Object.keys(values).sort().forEach(function (v) { select.appendChild(el('option', { value: v, text: v })); });
    ensureOption(select, current);
    select.value = current;
  }

  /** The period just before, as long as the chosen one. */
  function previousOf(f) {
    var days = daysBetween(f.from, f.to) + 1;
    var to = addDays(f.from, -1);
    return Object.assign({}, f, { from: addDays(to, -(days - 1)), to: to });
  }

  // ---- data ---------------------------------------------------------------------------------------------

  async function api(report, f) {
    var token = await accessToken();
    if (!token) { await login(); throw new Error('login'); }
    var q = new URLSearchParams();
    ['from', 'to', 'grain', 'channel', 'campaign'].forEach(function (k) { if (f[k]) q.set(k, f[k]); });
    var response = await fetch(API + report + '?' + q, { headers: { Authorization: 'Bearer ' + token } });
    if (response.status === 401) { store.removeItem('kpi.tokens'); await login(); throw new Error('login'); }
    if (response.status === 403) {
      var c = claims(token);
      refuse(c.preferred_username, (c.realm_access && c.realm_access.roles) || []);
      throw new Error('refused');
    }
    if (!response.ok) throw new Error(report + ': ' + await problemText(response));
    return response.json();
  }

  async function load() {
    var seq = ++loadSeq;
    var f = formFilters();
    writeUrl(f);
    setState('loading');
    $('#status').textContent = 'loading …';
    $('#error').hidden = true;
    var prev = previousOf(f);
    var all = { from: f.from, to: f.to, grain: f.grain };
    try {
      var results = await Promise.all([
        api('website', f), api('leads', f), api('funnel', f), api('money', f), api('email', f), api('partners', f),
        api('website', prev), api('leads', prev), api('money', prev), api('money', all), api('website', all)
      ]);
      if (seq !== loadSeq) return;
      var data = {
        filters: f, previous: prev, website: results[0], leads: results[1], funnel: results[2], money: results[3],
        email: results[4], partners: results[5], prevWebsite: results[6], prevLeads: results[7], prevMoney: results[8]
      };
      results[9].rows.forEach(function (r) { channelOptions[r.channel] = 1; if (r.campaign) campaignOptions[r.campaign] = 1; });
      results[10].perChannel.forEach(function (r) { channelOptions[r.channel] = 1; });
      refreshOptions($('#filters').channel, channelOptions, f.channel);
      refreshOptions($('#filters').campaign, campaignOptions, f.campaign);
      render(data);
      $('#status').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
      setState('ready');
    } catch (e) {
      if (seq !== loadSeq || e.message === 'login' || e.message === 'refused') return;
      $('#status').textContent = '';
      showError('The numbers could not be loaded. ' + e.message);
    }
  }

  // ---- formatting ---------------------------------------------------------------------------------------

  var currency = 'EUR';
  function num(v) { return v === null || v === undefined ? '–' : new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v); }
  function money(v) {
    return v === null || v === undefined ? '–'
      : new Intl.NumberFormat('en-US', { style: 'currency', currency: currency, maximumFractionDigits: 2 }).format(v);
  }
  function pct(v) { return v === null || v === undefined ? '–' : new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(v); }
  function seconds(v) { return v === null || v === undefined ? '–' : num(Math.round(Number(v))) + ' s'; }
  function duration(s) {
    if (s === null || s === undefined) return '–';
    if (s < 60) return num(Math.round(s)) + ' s';
    if (s < 3600) return num(Math.round(s / 60)) + ' min';
    if (s < 86400) return num(Math.round(s / 360) / 10) + ' h';
    return num(Math.round(s / 8640) / 10) + ' d';
  }
  function val(ratio) { return ratio ? ratio.value : null; }

  // ---- rendering ----------------------------------------------------------------------------------------

  function render(d) {
    currency = d.money.currency || 'EUR';
    $('#currency').textContent = currency;
    $('#period').textContent = d.leads.period.from + ' – ' + d.leads.period.to + ' (' + d.leads.period.grain + ')';
    $('#previous').textContent = d.prevLeads.period.from + ' – ' + d.prevLeads.period.to;
    renderCards(d);
    renderCharts(d);
    renderTables(d);
  }

  function cardsOf(d) {
    var w = d.website.total, pw = d.prevWebsite.total, l = d.leads.total, pl = d.prevLeads.total;
    var m = d.money.total, pm = d.prevMoney.total;
    return [
      { key: 'visitors', label: 'Visitors', value: w.visitors, prev: pw.visitors, fmt: num },
      { key: 'sessions', label: 'Sessions', value: w.sessions, prev: pw.sessions, fmt: num },
      { key: 'newLeads', label: 'New leads', value: l.newLeads, prev: pl.newLeads, fmt: num },
      { key: 'visitorToLead', label: 'Visitor → lead', value: val(l.visitorToLead), prev: val(pl.visitorToLead), fmt: pct,
        parts: num(l.newLeads) + ' leads / ' + num(l.visitors) + ' visitors' },
      { key: 'newCustomers', label: 'New customers', value: m.newCustomers, prev: pm.newCustomers, fmt: num },
      { key: 'cost', label: 'Cost', value: m.cost, prev: pm.cost, fmt: money, lowerIsBetter: true },
      { key: 'cpl', label: 'CPL', value: val(m.cpl), prev: val(pm.cpl), fmt: money, lowerIsBetter: true,
        parts: money(m.cost) + ' / ' + num(m.newLeads) + ' leads' },
      { key: 'cpa', label: 'CPA', value: val(m.cpa), prev: val(pm.cpa), fmt: money, lowerIsBetter: true,
        parts: money(m.cost) + ' / ' + num(m.newCustomers) + ' customers' },
      { key: 'roi', label: 'ROI', value: val(m.roi), prev: val(pm.roi), fmt: pct,
        parts: '(' + money(m.grossMargin) + ' − ' + money(m.cost) + ') / ' + money(m.cost) }
    ];
  }

  function renderCards(d) {
    var box = $('#cards');
    box.innerHTML = '';
    cardsOf(d).forEach(function (c) {
      var delta = el('div', { cls: 'delta' });
      if (c.value !== null && c.prev !== null && Number(c.prev) !== 0) {
        var change = (Number(c.value) - Number(c.prev)) / Math.abs(Number(c.prev));
        var good = c.lowerIsBetter ? change < 0 : change > 0;
        delta.className = 'delta ' + (change === 0 ? '' : good ? 'up' : 'down');
        delta.textContent = (change > 0 ? '▲ ' : change < 0 ? '▼ ' : '= ') + pct(Math.abs(change)) + ' vs ' + c.fmt(c.prev);
      } else {
        delta.textContent = 'before: ' + c.fmt(c.prev);
      }
      var value = el('div', { cls: 'value', text: c.fmt(c.value) });
      box.appendChild(el('div', {
        cls: 'card', 'data-kpi': c.key, 'data-value': c.value === null ? '' : String(c.value),
        'data-previous': c.prev === null ? '' : String(c.prev)
      }, [el('h3', { text: c.label }), value, c.parts ? el('div', { cls: 'parts', text: c.parts }) : null, delta]));
    });
  }

  function chart(id) {
    if (!window.echarts) return null;
    if (!charts[id]) charts[id] = window.echarts.init(document.getElementById(id));
    return charts[id];
  }

  function renderCharts(d) {
    var periods = d.leads.series.map(function (p) { return p.period; });
    var leads = chart('chart-leads');
    if (leads) leads.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 40, right: 50, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: periods },
      yAxis: [{ type: 'value', name: 'leads', minInterval: 1 }, { type: 'value', name: '%', axisLabel: { formatter: '{value} %' } }],
      series: [
        { name: 'New leads', type: 'bar', data: d.leads.series.map(function (p) { return p.newLeads; }), itemStyle: { color: '#2f6fde' } },
        { name: 'Visitor → lead', type: 'line', yAxisIndex: 1, connectNulls: false,
          data: d.leads.series.map(function (p) { var v = val(p.visitorToLead); return v === null ? null : Math.round(v * 1000) / 10; }) }
      ]
    }, true);
    var website = chart('chart-website');
    if (website) website.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: d.website.series.map(function (p) { return p.period; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: 'Sessions', type: 'bar', data: d.website.series.map(function (p) { return p.sessions; }), itemStyle: { color: '#7aa6f0' } },
        { name: 'Page views', type: 'line', data: d.website.series.map(function (p) { return p.pageViews; }) }
      ]
    }, true);
    var funnel = chart('chart-funnel');
    if (funnel) funnel.setOption({
      animation: false, tooltip: { trigger: 'item' },
      series: [{
        type: 'funnel', sort: 'none', top: 10, bottom: 10, left: '10%', width: '80%', minSize: '8%',
        label: { formatter: '{b}: {c}' },
        data: d.funnel.stages.map(function (s) { return { name: s.stage, value: s.leads }; })
      }]
    }, true);
  }

  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });

  // ---- tables, each with its CSV ------------------------------------------------------------------------

  /* column: key (or get), label, kind: text | num | money | pct | seconds | duration; ratio columns show
     numerator / denominator and export all three */
  function tablesOf(d) {
    var conversionTo = {};
    d.funnel.conversions.forEach(function (c) { conversionTo[c.to] = c.conversion; });
    var moneyColumns = [
      { key: 'channel', label: 'Channel', kind: 'text' }, { key: 'campaign', label: 'Campaign', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' }, { key: 'newLeads', label: 'New leads', kind: 'num' },
      { key: 'newCustomers', label: 'New customers', kind: 'num' },
      { key: 'cpl', label: 'CPL', kind: 'money', ratio: ['cost', 'leads'] },
      { key: 'cpa', label: 'CPA', kind: 'money', ratio: ['cost', 'customers'] },
      { key: 'revenue', label: 'Revenue', kind: 'money' }, { key: 'grossMargin', label: 'Gross margin', kind: 'money' },
      { key: 'roi', label: 'ROI', kind: 'pct', ratio: ['margin − cost', 'cost'] }
    ];
    return [
      { id: 'money', title: 'Cost, CPL, CPA and ROI per channel and campaign', columns: moneyColumns, rows: d.money.rows,
        total: Object.assign({}, d.money.total, { channel: 'Total', campaign: '' }),
        note: d.money.missingRates.length ? 'Left out for want of an exchange rate: ' + d.money.missingRates.map(function (r) {
          return r.currency + ' ' + r.month; }).join(', ') : '' },
      { id: 'funnel', title: 'Funnel (leads captured in the period)', columns: [
        { key: 'stage', label: 'Stage', kind: 'text' }, { key: 'leads', label: 'Leads', kind: 'num' },
        { key: 'conversion', label: 'Conversion from the stage before', kind: 'pct', ratio: ['reached', 'reached before'] }],
        rows: d.funnel.stages.map(function (s) { return { stage: s.stage, leads: s.leads, conversion: conversionTo[s.stage] || null }; }),
        note: 'Apart from the funnel: recycled ' + num(d.funnel.recycled) + ', disqualified ' + num(d.funnel.disqualified)
          + '. Lead → customer: ' + pct(val(d.funnel.leadToCustomer)) + '.' },
      { id: 'time-to-convert', title: 'Time in stage and time to convert per ' + d.funnel.cohortGrain + ' of capture', columns: [
        { key: 'cohort', label: 'Cohort', kind: 'text' }, { key: 'metric', label: 'Step', kind: 'text' },
        { key: 'leads', label: 'Leads', kind: 'num' }, { key: 'medianSeconds', label: 'Median', kind: 'duration' },
        { key: 'p90Seconds', label: 'p90', kind: 'duration' }],
        rows: [].concat.apply([], d.funnel.cohorts.map(function (c) {
          return c.durations.map(function (x) { return Object.assign({ cohort: c.cohort }, x); });
        })) },
      { id: 'leads', title: 'Leads per ' + d.leads.period.grain, columns: [
        { key: 'period', label: 'Period', kind: 'text' }, { key: 'newLeads', label: 'New leads', kind: 'num' },
        { key: 'newMembers', label: 'New members', kind: 'num' }, { key: 'newSubscribers', label: 'Newsletter subscribers', kind: 'num' },
        { key: 'visitors', label: 'Visitors', kind: 'num' },
        { key: 'visitorToLead', label: 'Visitor → lead', kind: 'pct', ratio: ['leads', 'visitors'] }],
        rows: d.leads.series, total: Object.assign({}, d.leads.total, { period: 'Total' }),
        note: quarterNote(d.leads.quarterOverQuarter) },
      { id: 'website', title: 'Website per channel of the visit', columns: [
        { key: 'channel', label: 'Channel', kind: 'text' }, { key: 'visitors', label: 'Visitors', kind: 'num' },
        { key: 'sessions', label: 'Sessions', kind: 'num' }, { key: 'pageViews', label: 'Page views', kind: 'num' },
        { key: 'avgTimeOnSiteSeconds', label: 'Avg. time on site', kind: 'seconds', ratio: ['seconds', 'sessions'] },
        { key: 'pagesPerVisit', label: 'Pages per visit', kind: 'num', ratio: ['page views', 'sessions'] }],
        rows: d.website.perChannel, total: Object.assign({}, d.website.total, { channel: 'Total' }) },
      { id: 'email', title: 'E-mail per sequence and step', columns: [
        { key: 'sequenceId', label: 'Sequence', kind: 'text' }, { key: 'stepId', label: 'Step', kind: 'text' },
        { key: 'sent', label: 'Sent', kind: 'num' }, { key: 'delivered', label: 'Delivered', kind: 'num' },
        { key: 'opensHuman', label: 'Opens (human)', kind: 'num' }, { key: 'opensBot', label: 'bot', kind: 'num' },
        { key: 'opensProxy', label: 'proxy', kind: 'num' }, { key: 'clicksHuman', label: 'Clicks (human)', kind: 'num' },
        { key: 'clicksBot', label: 'bot', kind: 'num' }, { key: 'clicksProxy', label: 'proxy', kind: 'num' },
        { key: 'unsubscribes', label: 'Unsubscribes', kind: 'num' }, { key: 'bouncesHard', label: 'Hard bounces', kind: 'num' },
        { key: 'bouncesSoft', label: 'Soft bounces', kind: 'num' }, { key: 'complaints', label: 'Complaints', kind: 'num' },
        { key: 'humanOpenRate', label: 'Open rate', kind: 'pct', ratio: ['opens', 'delivered'] },
        { key: 'humanClickRate', label: 'Click rate', kind: 'pct', ratio: ['clicks', 'delivered'] }],
        rows: d.email.steps },
      { id: 'sequences', title: 'Sequence conversion', columns: [
        { key: 'sequenceId', label: 'Sequence', kind: 'text' }, { key: 'enrolled', label: 'Enrolled', kind: 'num' },
        { key: 'mql', label: 'Became MQL', kind: 'num' }, { key: 'sql', label: 'Became SQL', kind: 'num' },
        { key: 'toMql', label: '→ MQL', kind: 'pct', ratio: ['MQL', 'enrolled'] },
        { key: 'toSql', label: '→ SQL', kind: 'pct', ratio: ['SQL', 'enrolled'] }],
        rows: d.email.sequences },
      { id: 'partners', title: 'Partners: pay per lead', columns: [
        { key: 'partner', label: 'Partner', kind: 'text' }, { key: 'period', label: 'Period', kind: 'text' },
        { key: 'accepted', label: 'Accepted', kind: 'num' }, { key: 'credited', label: 'Credited back', kind: 'num' },
        { key: 'billable', label: 'Billable', kind: 'num' }, { key: 'pricePerLead', label: 'Price per lead', kind: 'num' },
        { key: 'currency', label: 'Currency', kind: 'text' }, { key: 'creditWindowDays', label: 'Credit window (days)', kind: 'num' },
        { key: 'amountOwed', label: 'Amount owed', kind: 'num' }],
        rows: d.partners.rows }
    ];
  }

  function quarterNote(q) {
    if (!q) return '';
    function g(label, x) { return label + ' ' + num(x.current) + ' (before ' + num(x.previous) + ', ' + pct(val(x.growth)) + ')'; }
    return 'Quarter ' + q.currentQuarter + ' against ' + q.previousQuarter + ': ' + g('new leads', q.newLeads) + ', '
      + g('members', q.newMembers) + ', ' + g('subscribers', q.newSubscribers) + '.';
  }

  function cell(column, row) {
    var v = row[column.key];
    var fmt = { text: function (x) { return x === null || x === undefined ? '' : String(x); }, num: num, money: money, pct: pct,
      seconds: seconds, duration: duration }[column.kind];
    if (column.ratio) {
      var td = el('td', { text: fmt(val(v)) });
      if (v) td.appendChild(el('small', { text: num(v.numerator) + ' / ' + num(v.denominator) }));
      return td;
    }
    return el('td', { cls: column.kind === 'text' ? 'text' : '', text: fmt(v) });
  }

  function renderTables(d) {
    var box = $('#tables');
    box.innerHTML = '';
    tablesOf(d).forEach(function (t) {
      var head = el('tr', {}, t.columns.map(function (c) { return el('th', { cls: c.kind === 'text' ? 'text' : '', text: c.label }); }));
      var body = el('tbody');
      if (!t.rows.length) body.appendChild(el('tr', {}, [el('td', { cls: 'empty', colspan: String(t.columns.length), text: 'no data in this period' })]));
      t.rows.forEach(function (r) { body.appendChild(el('tr', { 'data-row': '' }, t.columns.map(function (c) { return cell(c, r); }))); });
      if (t.total && t.rows.length) body.appendChild(el('tr', { cls: 'total' }, t.columns.map(function (c) { return cell(c, t.total); })));
      var button = el('button', { type: 'button', 'data-csv': t.id, text: 'CSV' });
      button.addEventListener('click', function () { downloadCsv(t, d.filters); });
      box.appendChild(el('section', { cls: 'table', 'data-table': t.id }, [
        el('div', { cls: 'table-head' }, [el('h2', { text: t.title }), button]),
        el('table', {}, [el('thead', {}, [head]), body]),
        t.note ? el('p', { cls: 'note', text: t.note }) : null
      ]));
    });
  }

  // ---- CSV (RFC 4180; raw values, a ratio as value, numerator, denominator) ---------------------------------

  function csvField(v) {
    var s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) || /^[=+\-@\t]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csvOf(t) {
    var header = [], lines = [];
    t.columns.forEach(function (c) {
      header.push(c.key);
      if (c.ratio) header.push(c.key + '_numerator', c.key + '_denominator');
    });
    lines.push(header.map(csvField).join(','));
    t.rows.forEach(function (r) {
      var fields = [];
      t.columns.forEach(function (c) {
        var v = r[c.key];
        if (c.ratio) fields.push(v ? v.value : '', v ? v.numerator : '', v ? v.denominator : '');
        else fields.push(v);
      });
      lines.push(fields.map(csvField).join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function downloadCsv(t, f) {
    var name = 'kpi-' + t.id + '-' + f.from + '_' + f.to + (f.channel ? '-' + f.channel : '') + (f.campaign ? '-' + f.campaign : '') + '.csv';
    var url = URL.createObjectURL(new Blob([csvOf(t)], { type: 'text/csv;charset=utf-8' }));
    var a = el('a', { href: url, download: name.replace(/[^A-Za-z0-9._-]/g, '_') });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ---- start --------------------------------------------------------------------------------------------

  async function main() {
    var query = new URLSearchParams(location.search);
    if (query.has('code') || query.has('error')) await completeLogin(query);
    var token = await accessToken();
    if (!token) return login();
    var c = claims(token);
    var roles = (c.realm_access && c.realm_access.roles) || [];
    $('#user').textContent = c.preferred_username || c.sub;
    $('#logout').hidden = false;
    $('#logout').addEventListener('click', logout);
    if (roles.indexOf('marketing') < 0 && roles.indexOf('admin') < 0) return refuse(c.preferred_username, roles);
    $('#dashboard').hidden = false;
    var form = $('#filters');
    fillForm(filtersFromUrl());
    form.addEventListener('change', load);
    form.addEventListener('submit', function (e) { e.preventDefault(); load(); });
    Array.prototype.forEach.call(document.querySelectorAll('.presets button'), function (b) {
      b.addEventListener('click', function () {
        form.to.value = isoDay(new Date());
        form.from.value = addDays(form.to.value, -(Number(b.getAttribute('data-days')) - 1));
        load();
      });
    });
    await load();
  }

  main().catch(function (e) { showError(e.message); });
})();
