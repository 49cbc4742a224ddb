'use strict';
// A small SVG line chart: one line per series, time on x, values on y, a legend. No library: the
// dashboard ships no third-party code, and a few dozen points per line need nothing more.
window.LineChart = (function () {
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#2f7ed8', '#e4572e', '#29a36a', '#a44cd3', '#f0a202', '#17becf', '#d62f8a', '#7f7f7f'];

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  // series: [{ name, points: [{ t: Date, v: number }] }]; format(v) labels the y axis.
  function render(container, series, format) {
    container.textContent = '';
    if (!series.length || !series[0].points.length) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = 'No traffic recorded in this window.';
      container.appendChild(p);
      return;
    }
    const W = 800, H = 260, L = 70, R = 10, T = 10, B = 30;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'linechart' }, container);
    const t0 = series[0].points[0].t.getTime();
    const t1 = series[0].points[series[0].points.length - 1].t.getTime();
    const max = niceMax(Math.max(...series.flatMap(s => s.points.map(p => p.v))));
    const x = t => L + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (W - L - R);
    const y = v => T + (1 - v / max) * (H - T - B);
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'gridline' }, svg);
      el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, svg).textContent = format(v);
    }
    for (let i = 0; i <= 4; i++) {
      const t = t0 + (t1 - t0) * i / 4;
      el('text', { x: x(t), y: H - 8, 'text-anchor': 'middle', class: 'axis' }, svg).textContent =
        new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    }
    series.forEach((s, i) => {
      const d = s.points.map((p, j) => (j ? 'L' : 'M') + x(p.t.getTime()).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ');
      const path = el('path', { d, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 2 }, svg);
      el('title', {}, path).textContent = s.name;
    });
    const legend = document.createElement('ul');
    legend.className = 'legend';
    series.forEach((s, i) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch swatch-' + (i % COLORS.length);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(s.name));
      legend.appendChild(li);
    });
    container.appendChild(legend);
  }

  return { render, COLORS };
})();
