/* Interpolation explorer: pick a pair, drag the slider, see AE and VAE frames with the code
   density and the judge's confidence along the path, and each path on a mini-map of its
   model's latent space (hc-interp-map.js). Data: <base>explorer/paths.json, meta.json,
   counts-<id>.bin, holes-<id>.png and paths-<kind>.png sprite sheets (row = pair, column =
   step, 28 px frames). */
(function () {
  "use strict";
  var HC = window.HC;
  var SVGNS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function holeSteps(K, pair, maxCount) {  // how many steps of a path lie in a hole
    return K.density[pair].filter(function (d) { return d <= maxCount; }).length;
  }

  function Interp(root) { this.root = root; this.base = HC.base(root); this.pair = 0; this.step = 0; this.vaeKind = "vae_linear"; }

  Interp.prototype.start = function () {
    var self = this, root = this.root;
    var exp = this.base + "explorer/";
    Promise.all([HC.json(exp + "paths.json"), HC.json(exp + "meta.json")]).then(function (r) {
      var pj = self.pj = r[0], meta = self.meta = r[1];
      var kinds = pj.kinds;
      var names = Object.keys(kinds);
      self.maps = {};
      return Promise.all(names.map(function (k) {
        return HC.image(exp + kinds[k].sheet).then(function (im) { kinds[k].img = im; });
      }).concat(Object.keys(meta.models).map(function (id) {  // the mini-maps' backgrounds
        var m = meta.models[id], mm = self.maps[m.kind] = { m: m };
        return Promise.all([HC.bytes(exp + m.counts).then(function (b) { mm.counts = new Uint16Array(b); }),
                            HC.image(exp + m.holes).then(function (im) { mm.holes = im; })]);
      })));
    }).then(function () { self.build(); root.setAttribute("data-ready", "1"); })
      .catch(function (e) { HC.fail(root, e); });
  };

  Interp.prototype.build = function () {
    var self = this, root = this.root, pj = this.pj;
    var sel = root.querySelector(".hc-pair"), slider = root.querySelector(".hc-slider");
    sel.innerHTML = "";
    // The page opens on the pair whose AE path crosses the most holes: that is what it is about.
    var holes = pj.pairs.map(function (p, i) { return holeSteps(pj.kinds.ae_linear, i, pj.hole_max_count); });
    this.pair = holes.indexOf(Math.max.apply(null, holes));
    pj.pairs.forEach(function (p, i) {
      var l = pj.pair_labels[i];
      // what tells the pairs apart first: a phone's select shows only the start of the text
      sel.appendChild(HC.el("option", { value: String(i) }, l[0] + " \u2192 " + l[1] + ", " + pj.pair_kinds[i] + ": AE path " +
        holes[i] + (holes[i] === 1 ? " step" : " steps") + " in a hole (test images #" + p[0] + ", #" + p[1] + ")"));
    });
    sel.value = String(this.pair);
    sel.addEventListener("change", function () { self.pair = +sel.value; self.update(true); });
    var steps = pj.kinds.ae_linear.steps;
    slider.min = "0"; slider.max = String(steps - 1); slider.value = "0"; slider.step = "1";
    slider.addEventListener("input", function () { self.step = +slider.value; self.update(false); });
    var slerp = root.querySelector(".hc-slerp");
    slerp.addEventListener("change", function () { self.vaeKind = slerp.checked ? "vae_slerp" : "vae_linear"; self.update(true); });
    this.update(true);
  };

  Interp.prototype.kinds = function () {
    return ["ae_linear", this.vaeKind];
  };

  Interp.prototype.update = function (full) {
    var self = this, root = this.root, pj = this.pj, p = this.pair, s = this.step;
    var frames = root.querySelector(".hc-frames");
    var kinds = this.kinds();
    if (full) {
      frames.innerHTML = "";
      kinds.forEach(function (k) {
        var K = pj.kinds[k];
        var fig = HC.el("div", { "class": "hc-frame-box", "data-kind": k });
        fig.appendChild(HC.el("p", { "class": "hc-frame-title" }, pj.kinds[k].title));
        var img = HC.el("img", { "class": "hc-frame", src: HC.BLANK, width: "152", height: "152", alt: "" });
        fig.appendChild(img);
        var strip = HC.el("canvas", { "class": "hc-strip", width: String(K.steps * 28), height: "28",
                                      "aria-hidden": "true" });
        strip.getContext("2d").drawImage(K.img, 0, p * 28, K.steps * 28, 28, 0, 0, K.steps * 28, 28);
        strip.addEventListener("click", function (ev) {
          var r = strip.getBoundingClientRect();
          self.setStep(Math.floor((ev.clientX - r.left) / r.width * K.steps));
        });
        fig.appendChild(strip);
        fig.appendChild(HC.el("p", { "class": "hc-frame-info" }));
        frames.appendChild(fig);
      });
    }
    var slider = root.querySelector(".hc-slider");
    var S = +slider.max + 1;
    var readout = [];
    kinds.forEach(function (k) {
      var K = pj.kinds[k], fig = frames.querySelector('[data-kind="' + k + '"]');
      var img = fig.querySelector(".hc-frame");
      HC.showCrop(img, K.img, s * 28, p * 28, 28, 28, 4);
      var cls = K["class"][p][s], conf = K.confidence[p][s], dens = K.density[p][s];
      var txt = "judge: " + cls + " (" + Math.round(conf * 100) + " %) · " + Math.round(dens) + " codes in cell" +
        (dens <= pj.hole_max_count ? " — a hole" : "");
      fig.querySelector(".hc-frame-info").textContent = txt;
      img.alt = pj.kinds[k].title + ", step " + (s + 1) + " of " + S + ": " + txt;
      var strip = fig.querySelector(".hc-strip");
      strip.style.setProperty("--hc-step", String(s));
      fig.style.setProperty("--hc-steps", String(S));
      readout.push(pj.kinds[k].title + ": " + txt);
    });
    var out = root.querySelector(".hc-step");
    if (out) out.textContent = "step " + (s + 1) + " of " + S;
    slider.setAttribute("aria-valuetext", "step " + (s + 1) + " of " + S + "; " + readout.join("; "));
    this.curves(kinds);
    this.minimaps(kinds);
  };

  Interp.prototype.setStep = function (s) {
    var slider = this.root.querySelector(".hc-slider");
    s = Math.max(0, Math.min(+slider.max, s));
    slider.value = String(s); this.step = s; this.update(false);
  };

  // Two small charts: code density (log scale) and judge confidence, AE and VAE, marker at the step.
  Interp.prototype.curves = function (kinds) {
    var root = this.root, pj = this.pj, p = this.pair, s = this.step;
    var box = root.querySelector(".hc-curves");
    box.innerHTML = "";
    var charts = [
      { key: "density", title: "Training codes in the grid cell at each step (log scale; 0 = hole)", log: true },
      { key: "confidence", title: "Judge's confidence in its predicted " + HC.words(root).label, log: false }
    ];
    var W = 360, H = 150, m = { l: 40, r: 8, t: 22, b: 24 };
    charts.forEach(function (c) {
      var series = kinds.filter(function (k) { return pj.kinds[k][c.key]; });
      if (!series.length) return;
      var n = pj.kinds[series[0]][c.key][p].length;
      var ymax = 1;
      if (c.log) series.forEach(function (k) { pj.kinds[k][c.key][p].forEach(function (v) { ymax = Math.max(ymax, Math.log10(1 + v)); }); });
      var X = function (i) { return m.l + i / Math.max(1, n - 1) * (W - m.l - m.r); };
      var Y = function (v) { var t = c.log ? Math.log10(1 + v) / ymax : v; return H - m.b - t * (H - m.t - m.b); };
      var el = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "hc-chart", role: "img",
                            "aria-label": c.title + ": " + series.map(function (k) {
                              return pj.kinds[k].title + " " + pj.kinds[k][c.key][p].map(function (v) { return c.log ? Math.round(v) : Math.round(v * 100) + "%"; }).join(", ");
                            }).join("; ") });
      el.appendChild(svg("text", { x: 2, y: 14, "class": "hc-chart-title" }, c.title));
      el.appendChild(svg("line", { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, "class": "hc-axis" }));
      el.appendChild(svg("line", { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b, "class": "hc-axis" }));
      var ticks = c.log ? [0, Math.pow(10, ymax) - 1] : [0, 0.5, 1];
      ticks.forEach(function (t) {
        el.appendChild(svg("text", { x: m.l - 4, y: Y(t) + 3, "class": "hc-tick", "text-anchor": "end" },
                           c.log ? String(Math.round(t)) : Math.round(t * 100) + "%"));
      });
      el.appendChild(svg("text", { x: (W + m.l) / 2, y: H - 4, "class": "hc-tick", "text-anchor": "middle" }, "step along the path"));
      series.forEach(function (k) {
        var vals = pj.kinds[k][c.key][p], col = pj.model_colors[pj.kinds[k].model];
        var d = vals.map(function (v, i) { return (i ? "L" : "M") + X(i).toFixed(1) + " " + Y(v).toFixed(1); }).join(" ");
        el.appendChild(svg("path", { d: d, fill: "none", stroke: col, "stroke-width": 2,
                                     "stroke-dasharray": pj.kinds[k].model === "vae" ? "5 3" : "none" }));
        vals.forEach(function (v, i) {
          var hole = c.key === "density" && v <= pj.hole_max_count;
          el.appendChild(svg("circle", { cx: X(i), cy: Y(v), r: i === s ? 4 : (hole ? 3 : 1.8),
                                         fill: hole ? "none" : col, stroke: col, "stroke-width": 1.5 }));
        });
      });
      el.appendChild(svg("line", { x1: X(s), y1: m.t, x2: X(s), y2: H - m.b, "class": "hc-marker" }));
      box.appendChild(el);
    });
    var key = HC.el("p", { "class": "hc-chart-key" });
    kinds.forEach(function (k) {
      var col = pj.model_colors[pj.kinds[k].model];
      var sw = HC.el("span", { "class": "hc-swatch" + (pj.kinds[k].model === "vae" ? " hc-dashed" : "") });
      sw.style.borderColor = col;
      key.appendChild(sw); key.appendChild(document.createTextNode(" " + pj.kinds[k].title + "  "));
    });
    key.appendChild(document.createTextNode(" · open circles: steps in holes"));
    box.appendChild(key);
  };

  var extra = HC.interpMethods || {};  // the mini-maps, from hc-interp-map.js (loaded first)
  for (var name in extra) Interp.prototype[name] = extra[name];
  if (!Interp.prototype.minimaps) Interp.prototype.minimaps = function () {};
  HC.register(".hc-interp", function (root) { new Interp(root).start(); });
})();
