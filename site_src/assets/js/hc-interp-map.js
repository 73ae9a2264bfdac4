/* Interpolation explorer, mini-maps: each path drawn over its model's latent space (code density
   in grey, holes in the hole map's red), its steps as dots (open in a hole) and the current step
   ringed; the view is the path's neighbourhood, with latent axes (HC.mapAxes, hc-latentmap.js).
   Loaded before hc-interp.js. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.interpMethods || (HC.interpMethods = {});
  var SIZE = 220;  // CSS px

  /* A square view around the path: its bounding box x1.8, at least a twentieth of the window. */
  function viewOf(z, W) {
    var xs = z.map(function (p) { return p[0]; }), ys = z.map(function (p) { return p[1]; });
    var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2, cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2;
    var half = Math.max((Math.max.apply(null, xs) - Math.min.apply(null, xs)) * 0.9, (Math.max.apply(null, ys) - Math.min.apply(null, ys)) * 0.9,
                        (W[1] - W[0]) / 40);
    return [cx - half, cx + half, cy - half, cy + half];
  }

  P.minimaps = function (kinds) {
    var self = this, box = this.root.querySelector(".hc-minimaps");
    if (!box || !this.maps) return;
    kinds.forEach(function (k) {
      var K = self.pj.kinds[k], mm = self.maps[K.model];
      if (!mm) return;
      var c = box.querySelector('canvas[data-kind="' + k + '"]');
      if (!c || !c.isConnected || box.getAttribute("data-kinds") !== kinds.join(",")) {
        if (box.getAttribute("data-kinds") !== kinds.join(",")) { box.textContent = ""; box.setAttribute("data-kinds", kinds.join(",")); }
        var fig = HC.el("figure", { "class": "hc-minimap" });
        c = HC.el("canvas", { "data-kind": k, role: "img" });
        fig.appendChild(c); fig.appendChild(HC.el("figcaption", null, K.title + ": the path in its latent space"));
        box.appendChild(fig);
      }
      self.drawMinimap(c, K, mm);
    });
  };

  P.drawMinimap = function (c, K, mm) {
    var dpr = window.devicePixelRatio || 1, D = Math.round(SIZE * dpr), p = this.pair, s = this.step;
    c.width = c.height = D; c.style.width = c.style.height = SIZE + "px";
    var g = c.getContext("2d"), W = mm.m.window, G = mm.m.grid, z = K.z[p], V = viewOf(z, W);
    var X = function (x) { return (x - V[0]) / (V[1] - V[0]) * D; }, Y = function (y) { return (V[3] - y) / (V[3] - V[2]) * D; };
    var C = this.meta.map_colors;
    g.fillStyle = HC.cssVar(c, "--md-default-bg-color") || C.halo; g.fillRect(0, 0, D, D);
    var cell = (W[1] - W[0]) / G, maxLog = 0, r, q;
    for (q = 0; q < mm.counts.length; q++) maxLog = Math.max(maxLog, Math.log(1 + mm.counts[q]));
    for (r = 0; r < G; r++) for (q = 0; q < G; q++) {  // counts: row 0 = lowest y
      var n = mm.counts[r * G + q];
      if (!n) continue;
      var t = Math.log(1 + n) / maxLog, v = Math.round(225 - 150 * t);
      g.fillStyle = "rgb(" + v + "," + v + "," + v + ")";
      var x0 = X(W[0] + q * cell), y0 = Y(W[2] + (r + 1) * cell);
      g.fillRect(x0, y0, X(W[0] + (q + 1) * cell) - x0 + 0.5, Y(W[2] + r * cell) - y0 + 0.5);
    }
    g.imageSmoothingEnabled = false;
    if (mm.holes) g.drawImage(mm.holes, X(W[0]), Y(W[3]), X(W[1]) - X(W[0]), Y(W[2]) - Y(W[3]));
    HC.mapAxes(g, V, D, dpr, HC.cssVar(c, "--md-default-fg-color") || C.probe_outline);
    var col = this.pj.model_colors[K.model], d = dpr;
    g.strokeStyle = col; g.lineWidth = 2 * d;
    g.beginPath();
    z.forEach(function (pt, i) { if (i) g.lineTo(X(pt[0]), Y(pt[1])); else g.moveTo(X(pt[0]), Y(pt[1])); });
    g.stroke();
    var holeMax = this.pj.hole_max_count;
    z.forEach(function (pt, i) {
      var hole = K.density[p][i] <= holeMax;
      g.beginPath(); g.arc(X(pt[0]), Y(pt[1]), (hole ? 3.5 : 2.5) * d, 0, 2 * Math.PI);
      g.fillStyle = hole ? C.halo : col; g.fill(); g.lineWidth = 1.5 * d; g.stroke();
    });
    g.beginPath(); g.arc(X(z[s][0]), Y(z[s][1]), 8 * d, 0, 2 * Math.PI);
    g.lineWidth = 3 * d; g.strokeStyle = C.probe_outline; g.stroke();
    g.font = (10 * d) + "px sans-serif"; g.fillStyle = C.probe_outline; g.textBaseline = "top";
    g.fillText("A", X(z[0][0]) + 6 * d, Y(z[0][1]) + 4 * d); g.fillText("B", X(z[z.length - 1][0]) + 6 * d, Y(z[z.length - 1][1]) + 4 * d);
    c.setAttribute("aria-label", K.title + " path in latent space from (" + HC.fmt(z[0][0]) + ", " + HC.fmt(z[0][1]) + ") to (" +
      HC.fmt(z[z.length - 1][0]) + ", " + HC.fmt(z[z.length - 1][1]) + "); current step " + (s + 1) + " at (" +
      HC.fmt(z[s][0]) + ", " + HC.fmt(z[s][1]) + ")");
    c.setAttribute("data-step", String(s));
  };
})();
