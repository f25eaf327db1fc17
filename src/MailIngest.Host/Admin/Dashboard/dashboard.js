// The MailIngest dashboard: polls /status and /api/dashboard every 2 s and draws them. Plain DOM and SVG, no
// libraries; every value from the server goes in as text, never as markup.
'use strict';

(() => {
  const POLL_MS = 2000;
  const TOKEN_KEY = 'mailingest.adminToken';
  const SVG = 'http://www.w3.org/2000/svg';
  const MEANINGS = {
    421: 'closing: a limit, a timeout or a drain',
    450: 'client over its message rate',
    451: 'storage did not confirm in time',
    452: 'too many recipients',
    454: 'TLS not available',
    500: 'bad command line',
    501: 'bad arguments or address',
    502: 'command not implemented',
    503: 'command out of sequence',
    530: 'STARTTLS required',
    550: 'domain not accepted or bare LF',
    552: 'message too big',
    553: 'address needs SMTPUTF8',
    554: 'transaction failed',
  };

  const $ = id => document.getElementById(id);
  let timer = null;

  class NeedsToken extends Error {}

  function el(tag, options = {}, ...children) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.title) node.title = options.title;
    for (const [key, value] of Object.entries(options.data || {})) node.dataset[key] = value;
    for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
    return node;
  }

  function svg(tag, attributes = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const badge = (text, kind = '') => el('span', { className: `badge ${kind}` }, text);
  const shortAddress = address => String(address).replace(/^akka(\.tcp)?:\/\/[^@]*@/, '');
  const number = value => Number(value).toLocaleString('en', { maximumFractionDigits: value < 10 ? 2 : value < 100 ? 1 : 0 });
  const time = value => value ? new Date(value).toLocaleTimeString('en-GB') : '';

  function duration(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
    return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : m ? `${m} min` : `${Math.floor(seconds)} s`;
  }

  // The smallest of 1, 2, 2.5, 5 times a power of ten at or above the value: round axis labels.
  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 2.5, 5, 10].map(step => step * power).find(step => step >= value);
  }

  async function getJson(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const response = await fetch(path, { cache: 'no-store', headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (response.status === 401) throw new NeedsToken();
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const [status, dashboard] = await Promise.all([getJson('status'), getJson('api/dashboard')]);
      $('token-form').hidden = true;
      $('error').hidden = true;
      render(status, dashboard);
      $('updated').textContent = `updated ${time(Date.now())}`;
    } catch (error) {
      if (error instanceof NeedsToken) askForToken();
      else showError(`Cannot reach this node: ${error.message}`);
    } finally {
      timer = setTimeout(refresh, POLL_MS);
    }
  }

  function askForToken() {
    const refused = sessionStorage.getItem(TOKEN_KEY) !== null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-error').textContent = refused ? 'That token was refused.' : '';
    if ($('token-form').hidden) {
      $('token-form').hidden = false;
      $('token-input').focus();
    }
    $('updated').textContent = 'waiting for the admin token';
  }

  function showError(text) {
    $('error').textContent = text;
    $('error').hidden = false;
  }

  function render(status, dashboard) {
    renderHeader(status);
    const nodes = new Map(dashboard.nodes.map(node => [node.node, node]));
    const windowMs = dashboard.windowSeconds * 1000;
    renderMembers(status, nodes, windowMs);
    drawChart($('chart-messages'), dashboard.points, 'messagesPerSecond', windowMs);
    drawChart($('chart-sessions'), dashboard.points, 'sessionsOpen', windowMs);
    const last = dashboard.points[dashboard.points.length - 1];
    $('now-messages').textContent = last ? number(last.messagesPerSecond) : '';
    $('now-sessions').textContent = last ? number(last.sessionsOpen) : '';
    renderShards(status);
    renderRefusals(dashboard.refusals);
    renderAuthentication(dashboard.authentication || []);
    renderWebhooks(status.webhooks);
  }

  function renderHeader(status) {
    const info = $('node-info');
    info.replaceChildren(
      el('span', { className: 'mono', title: status.node }, shortAddress(status.node)), ' ',
      badge(`v${status.version}`), badge(status.storage), badge(`up ${duration(status.uptimeSeconds)}`),
      status.draining ? badge('draining', 'warn') : '');
  }

  function renderMembers(status, nodes, windowMs) {
    const rows = status.members.map(member => {
      const figures = nodes.get(member.address);
      const last = figures?.points[figures.points.length - 1];
      const flags = el('td', {},
        member.address === status.node ? badge('this node', 'info') : '',
        member.address === status.oldest ? badge('oldest: shard coordinator') : '',
        member.status === 'Up' && figures && !figures.answered ? badge('missing: did not answer', 'warn') : '');
      const spark = el('td');
      if (figures?.answered) spark.append(sparkline(figures.points, windowMs));
      return el('tr', { data: { address: member.address, status: member.status } },
        el('td', { className: 'mono', title: member.address }, shortAddress(member.address)),
        el('td', {}, badge(member.status, member.status === 'Up' ? 'good' : member.status === 'Down' ? 'bad' : 'warn')),
        el('td', {}, member.reachable ? badge('yes', 'good') : badge('unreachable', 'bad')),
        el('td', { className: 'num' }, last ? number(last.messagesPerSecond) : '–'),
        el('td', { className: 'num' }, last ? number(last.sessionsOpen) : '–'),
        spark, flags);
    });
    $('members').tBodies[0].replaceChildren(...rows);
  }

  // A member's messages per second over the same window as the cluster chart, scaled to its own peak.
  function sparkline(points, windowMs) {
    const chart = svg('svg', { class: 'spark', viewBox: '0 0 140 28', preserveAspectRatio: 'none' });
    if (points.length < 2) return chart;
    const max = niceCeiling(Math.max(...points.map(point => point.messagesPerSecond)));
    const start = points[points.length - 1].at - windowMs;
    const coordinates = points.map(point =>
      `${(140 * (point.at - start) / windowMs).toFixed(1)},${(27 - 25 * point.messagesPerSecond / max).toFixed(1)}`);
    chart.append(svg('polyline', { class: 'line', points: coordinates.join(' ') }));
    return chart;
  }

  // A line over an area, the last ten minutes on the x axis ending at the newest sample; the data-* attributes
  // carry what is drawn (for tests and for anyone reading the page).
  function drawChart(chart, points, key, windowMs) {
    const width = 640, height = 180, left = 46, right = 10, top = 10, bottom = 24;
    const plotWidth = width - left - right, plotHeight = height - top - bottom;
    const end = points.length ? points[points.length - 1].at : Date.now();
    const peak = points.reduce((max, point) => Math.max(max, point[key]), 0);
    const max = niceCeiling(peak);
    const x = at => left + plotWidth * (at - (end - windowMs)) / windowMs;
    const y = value => top + plotHeight * (1 - value / max);
    const parts = [];
    for (const fraction of [0, 0.5, 1]) {
      parts.push(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(max * fraction), y2: y(max * fraction) }));
      parts.push(svg('text', { class: 'axis-label', x: left - 6, y: y(max * fraction) + 4, 'text-anchor': 'end' }, number(max * fraction)));
    }
    const minutes = windowMs / 60000;
    for (const [fraction, anchor] of [[0, 'start'], [0.5, 'middle'], [1, 'end']]) {
      const label = fraction === 1 ? 'now' : `−${minutes * (1 - fraction)} min`;
      parts.push(svg('text', { class: 'axis-label', x: left + plotWidth * fraction, y: height - 6, 'text-anchor': anchor }, label));
    }
    if (points.length > 0) {
      const line = points.map(point => `${x(point.at).toFixed(1)},${y(point[key]).toFixed(1)}`);
      const baseline = y(0).toFixed(1);
      parts.push(svg('polygon', { class: 'area', points: `${x(points[0].at).toFixed(1)},${baseline} ${line.join(' ')} ${x(end).toFixed(1)},${baseline}` }));
      parts.push(svg('polyline', { class: 'line', points: line.join(' ') }));
    } else {
      parts.push(svg('text', { class: 'axis-label', x: left + plotWidth / 2, y: top + plotHeight / 2, 'text-anchor': 'middle' }, 'no samples yet'));
    }
    chart.replaceChildren(...parts);
    chart.dataset.points = points.length;
    chart.dataset.peak = peak;
    chart.dataset.last = points.length ? points[points.length - 1][key] : 0;
  }

  function renderShards(status) {
    const target = $('shards');
    if (!Array.isArray(status.shards)) {
      target.replaceChildren(el('p', { className: 'bad' }, status.shards?.error ?? 'no shard statistics'));
      return;
    }
    if (status.shards.length === 0) {
      target.replaceChildren(el('p', { className: 'muted' }, 'No shard regions yet.'));
      return;
    }
    const most = Math.max(1, ...status.shards.map(region => region.entityCount));
    target.replaceChildren(...status.shards.map(region => {
      const bar = el('div', { className: 'bar' });
      bar.style.width = `${100 * region.entityCount / most}%`;
      return el('div', { className: 'node', data: { node: region.node } },
        el('div', { className: 'node-head' },
          el('span', { className: 'mono', title: region.node }, shortAddress(region.node)),
          el('span', {}, `${region.shardCount} shards · ${region.entityCount} mailboxes`)),
        bar,
        el('div', { className: 'chips' }, ...(region.shards || []).map(id => el('span', { className: 'chip' }, id))));
    }));
  }

  function renderRefusals(refusals) {
    const most = Math.max(1, ...refusals.map(refusal => refusal.count));
    $('refusals').tBodies[0].replaceChildren(...refusals.map(refusal => {
      const bar = el('div', { className: refusal.code >= 500 ? 'bar bad' : 'bar warn' });
      bar.style.width = `${100 * refusal.count / most}%`;
      return el('tr', { data: { code: refusal.code } },
        el('td', {}, badge(refusal.code, refusal.code >= 500 ? 'bad' : 'warn')),
        el('td', { className: 'num' }, number(refusal.count)),
        el('td', {}, bar),
        el('td', { className: 'muted' }, MEANINGS[refusal.code] ?? ''));
    }));
    $('refusals').hidden = refusals.length === 0;
    $('no-refusals').hidden = refusals.length > 0;
  }

  // Per check: the share of pass and of fail among its verdicts in the window, then every result with its count.
  function renderAuthentication(counts) {
    const methods = [...new Set(counts.map(count => count.method))];
    $('authentication').tBodies[0].replaceChildren(...methods.map(method => {
      const mine = counts.filter(count => count.method === method);
      const total = mine.reduce((sum, count) => sum + count.count, 0);
      const share = result => `${Math.round(100 * (mine.find(count => count.result === result)?.count ?? 0) / total)} %`;
      return el('tr', { data: { method } },
        el('td', {}, method),
        el('td', { className: 'num' }, share('pass')),
        el('td', { className: 'num' }, share('fail')),
        el('td', { className: 'muted' }, mine.map(count => `${count.result} ${number(count.count)}`).join(' · ')));
    }));
    $('authentication').hidden = methods.length === 0;
    $('no-authentication').hidden = methods.length > 0;
  }

  function renderWebhooks(webhooks) {
    const target = $('webhooks');
    if (webhooks && webhooks.error) {
      // The singleton that runs them did not answer (it is moving to another node).
      target.replaceChildren(el('p', { className: 'warn' }, webhooks.error));
      return;
    }
    if (!Array.isArray(webhooks) || webhooks.length === 0) {
      target.replaceChildren(el('p', { className: 'muted', data: { empty: 'true' } }, 'No webhooks configured.'));
      return;
    }
    const kinds = { active: 'good', retrying: 'warn', paused: 'bad' };
    const head = el('thead', {}, el('tr', {}, ...['name', 'url', 'state', 'position', 'delivered', 'last error', 'next attempt']
      .map(title => el('th', {}, title))));
    const rows = webhooks.map(hook => el('tr', { data: { webhook: hook.name } },
      el('td', {}, hook.name),
      el('td', { className: 'mono' }, hook.url),
      el('td', {}, badge(hook.state, kinds[hook.state] ?? '')),
      el('td', { className: 'mono' }, hook.position ?? ''),
      el('td', { className: 'num' }, number(hook.delivered ?? 0)),
      el('td', { className: 'bad' }, hook.lastError ? `${hook.lastError} (${time(hook.lastErrorAt)})` : ''),
      el('td', {}, time(hook.nextAttemptAt))));
    target.replaceChildren(el('table', {}, head, el('tbody', {}, ...rows)));
  }

  $('token-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    refresh();
  });

  refresh();
})();
