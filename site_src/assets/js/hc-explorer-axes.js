/* Latent explorer, reading aids: axes with latent coordinates, a scale bar and the zoom factor
   on each map; a legend per map listing only the overlays that are on; the AE | VAE tabs of a
   phone; the live decode of the exact point under the pointer (the real decoders, hc-models.js,
   loaded on the first hover or click). */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)

  // Light text with a dark halo, readable over any digit: the probe's colours (MAP_COLORS).
  function label(g, text, x, y, d, C) {
    g.lineWidth = 3 * d; g.strokeStyle = C.probe_outline; g.globalAlpha = 0.85; g.strokeText(text, x, y);
    g.globalAlpha = 1; g.fillStyle = C.probe; g.fillText(text, x, y);
  }
  P.haloLabel = label;  // the prior circles' labels (hc-explorer-draw.js) use it too

  /* Ticks along the bottom and left edges, a scale bar (bottom right) and the zoom (top left). */
  P.drawAxes = function (map, g, px, py, D, S) {
    var W = map.m.window, d = map.dpr || 1, sx = S / (W[1] - W[0]), sy = S / (W[3] - W[2]);
    var x0 = W[0] - px(W[0]) / sx, x1 = x0 + D / sx;  // the visible latent ranges
    var y1 = W[3] + py(W[3]) / sy, y0 = y1 - D / sy;
    var step = HC.niceStep(x1 - x0), nd = HC.stepDigits(step), C = this.meta.map_colors;
    g.save();
    g.font = (10 * d) + "px sans-serif";
    g.textAlign = "center"; g.textBaseline = "bottom";
    // Corner and bar clearances (CSS px): tick labels stay off the other axis's labels and the
    // scale bar, which sits above the bottom row of labels.
    for (var x = Math.ceil(x0 / step) * step; x <= x1; x += step) {
      if (px(x) < 28 * d) continue;
      g.fillStyle = C.probe; g.fillRect(px(x) - d / 2, D - 5 * d, d, 5 * d);
      label(g, HC.fmt(x, nd), px(x), D - 6 * d, d, C);
    }
    g.textAlign = "left"; g.textBaseline = "middle";
    var ystep = HC.niceStep(y1 - y0);
    for (var y = Math.ceil(y0 / ystep) * ystep; y <= y1; y += ystep) {
      if (py(y) > D - 22 * d || py(y) < 24 * d) continue;  // clear of the x labels and the zoom
      g.fillStyle = C.probe; g.fillRect(0, py(y) - d / 2, 5 * d, d);
      label(g, HC.fmt(y, HC.stepDigits(ystep)), 7 * d, py(y), d, C);
    }
    var len = step * sx, bx = D - 10 * d - len, by = D - 30 * d;
    g.fillStyle = C.probe_outline; g.globalAlpha = 0.85; g.fillRect(bx - 2 * d, by - 2 * d, len + 4 * d, 7 * d);
    g.globalAlpha = 1; g.fillStyle = C.probe; g.fillRect(bx, by, len, 3 * d);
    g.textAlign = "center"; g.textBaseline = "bottom";
    label(g, HC.fmt(step, nd) + (step === 1 ? " unit" : " units"), bx + len / 2, by - 3 * d, d, C);
    g.textAlign = "left"; g.textBaseline = "top";
    label(g, "zoom \u00d7" + (this.view.zoom < 10 ? this.view.zoom.toFixed(1) : Math.round(this.view.zoom)), 6 * d, 5 * d, d, C);
    g.restore();
    map.canvas.setAttribute("data-scale", String(step));
  };

  /* Each map's legend: only the overlays that are on (nothing when none is). */
  P.legends = function () {
    var C = this.meta.map_colors, sh = this.show, items = [], w = HC.words(this.root);
    if (sh.codes) items = items.concat(["Training codes by " + w.label + ":"], HC.classItems(this.meta.digit_colors, w));
    if (sh.replay && this.meta.live && this.meta.live.replay) {
      var R = this.meta.live.replay;
      items = items.concat(["Codes of the first " + R.n.toLocaleString("en") + " test images after epoch " + this.replayEpoch + ":"],
                           HC.classItems(this.meta.digit_colors, w));
    }
    if (sh.holes) items.push([C.gap, "holes: emptier than a smooth spread of codes would be (faint: other empty cells)"],
                             [C.gap, "gap points", "\u00d7"]);
    if (sh.prior) items.push(["currentColor", "circles at 1σ, 2σ, 3σ of N(0, I)", "\u25cc"]);
    if (sh.quality) items.push([C.off_manifold, "decoded off the manifold (deeper: farther)"]);
    this.maps.forEach(function (map) {
      HC.legend(map.legend, items);
      map.legend.hidden = !items.length;
    });
  };

  /* Phone: AE | VAE tabs show one map at a time, at the shared position. */
  P.tabs = function () {
    var self = this, root = this.root, tabs = root.querySelectorAll(".hc-tab");
    function pick(id) {
      root.setAttribute("data-tab", id);
      tabs.forEach(function (t) { t.setAttribute("aria-selected", t.getAttribute("data-model") === id ? "true" : "false"); });
      // the other model's map and readout step aside (on a phone only: widgets.css)
      root.querySelectorAll(".hc-map, .hc-info").forEach(function (el) { el.classList.toggle("hc-tab-off", el.getAttribute("data-model") !== id); });
      self.resize();
    }
    tabs.forEach(function (t) { t.addEventListener("click", function () { pick(t.getAttribute("data-model")); }); });
    if (tabs.length) pick(tabs[0].getAttribute("data-model"));  // the AE first, as on a wide screen
  };

  /* The real decoder of a map, loaded once (null where this build has none). */
  P.liveModel = function (map) {
    if (!this.meta.live) return Promise.resolve(null);
    var self = this;
    return HC.models().then(function (nn) { return nn.load(self.base, self.meta.live, map.id, false); });
  };
  /* Decode the exact point under the pointer (p: CSS px in the canvas; null hides it). */
  P.hoverAt = function (map, p) {
    var self = this;
    if (!p) { map.hover.hidden = true; map.hoverText.hidden = true; return; }
    var r = this.toRel(map, p.x, p.y);
    if (r.u < 0 || r.u > 1 || r.v < 0 || r.v > 1) return this.hoverAt(map, null);
    var z = this.toLatent(map, r.u, r.v);
    this.liveModel(map).then(function (model) {
      if (!model) return;
      var g = map.hover.getContext("2d");
      HC.nn.paint(g, model.decode([z.x, z.y]), 0, 0, 28);
      map.hoverText.textContent = "live decode at (" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + ")";
      map.hover.hidden = false; map.hoverText.hidden = false;
      map.fig.setAttribute("data-hover-z", z.x + "," + z.y);
    }).catch(function (e) { if (window.console) console.warn("[hc] live decode", e); self.meta.live = null; });
  };
})();
