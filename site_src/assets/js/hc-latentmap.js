/* A small latent map on a canvas (the hero, the draw widget and the toy): a fixed subsample of a
   model's training codes coloured by digit, the N(0, I) circles (the radii of the widget data's
   prior_sigmas, as in the figures and the explorer), axes with latent coordinates, and whatever
   the widget marks on it (sample points, a drawn digit's point or cloud). */
(function () {
  "use strict";
  var HC = window.HC;
  if (HC.LatentMap) return;


  // CSS px: an outer N(0, I) circle narrower than this is a dot with a label. These maps are
  // ~155-300 px wide; the explorer's, 2-4 times wider, labels below 40 px (hc-explorer-draw.js).
  var SMALL_RING_PX = 12;

  /* canvas: the element; m: live.json's model entry {window, codes, color, label};
     labels: the codes' digits; colors: the digit palette; halo: the outline of marked points
     (MAP_COLORS.halo); sigmas: the N(0, I) circles' radii (prior_sigmas), all from the widget's
     data. */
  function LatentMap(canvas, m, labels, colors, halo, sigmas) {
    this.canvas = canvas; this.m = m; this.labels = labels; this.colors = colors; this.halo = halo;
    this.sigmas = sigmas; this.win = m.window.slice();
  }
  LatentMap.prototype.resize = function () {
    var dpr = window.devicePixelRatio || 1, w = Math.max(100, Math.floor(this.canvas.clientWidth || 240));
    this.css = w; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(w * dpr);
  };
  LatentMap.prototype.X = function (x) { var W = this.win; return (x - W[0]) / (W[1] - W[0]) * this.canvas.width; };
  LatentMap.prototype.Y = function (y) { var W = this.win; return (W[3] - y) / (W[3] - W[2]) * this.canvas.height; };
  LatentMap.prototype.unit = function () { return this.canvas.width / (this.win[1] - this.win[0]); };  // px per latent unit
  /* Screen (CSS px inside the canvas) -> latent point. */
  LatentMap.prototype.toLatent = function (px, py) {
    var W = this.win;
    return [W[0] + px / this.css * (W[1] - W[0]), W[3] - py / this.css * (W[3] - W[2])];
  };

  LatentMap.prototype.draw = function (marks) {
    if (!this.css) this.resize();
    var g = this.canvas.getContext("2d"), D = this.canvas.width, d = this.dpr;
    var fg = HC.cssVar(this.canvas, "--md-default-fg-color");
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.fillStyle = HC.cssVar(this.canvas, "--md-default-bg-color") || this.halo; g.fillRect(0, 0, D, D);
    var c = this.m.codes, r = Math.max(1, 1.3 * d);
    g.globalAlpha = marks && marks.faint ? 0.25 : 0.55;
    for (var i = 0; i < c.length; i++) {
      g.fillStyle = this.colors[this.labels[i]];
      g.fillRect(this.X(c[i][0]) - r / 2, this.Y(c[i][1]) - r / 2, r, r);
    }
    g.globalAlpha = 1;
    this.rings(g, fg);
    if (marks && marks.points) this.points(g, marks.points, marks.color || this.m.color);
    if (marks && marks.cloud) this.cloud(g, marks.cloud, marks.color || this.m.color);
    if (marks && marks.point) this.points(g, [marks.point], marks.color || this.m.color, 6);
    this.axes(g, fg);  // last: samples pinned to the edge as rings covered the tick labels
  };
  LatentMap.prototype.axes = function (g, fg) { mapAxes(g, this.win, this.canvas.width, this.dpr, fg); };
  /* The N(0, I) circles at true size (HC.priorRings): on the AE's map a labelled dot. */
  LatentMap.prototype.rings = function (g, fg) {
    var d = this.dpr, u = this.unit(), bg = HC.cssVar(this.canvas, "--md-default-bg-color") || this.halo;
    g.save();
    g.strokeStyle = fg; g.lineWidth = d; g.setLineDash([4 * d, 3 * d]);
    g.font = (10 * d) + "px sans-serif";
    HC.priorRings(g, {
      x0: this.X(0), y0: this.Y(0), ux: u, uy: u, sigmas: this.sigmas, smallPx: SMALL_RING_PX * d,
      lead: 16 * d, width: this.canvas.width, smallText: "N(0, I)",
      label: function (text, x, y) {
        g.save(); g.lineWidth = 3 * d; g.strokeStyle = bg; g.strokeText(text, x, y);
        g.fillStyle = fg; g.fillText(text, x, y); g.restore();
      }
    });
    g.restore();
  };
  /* Axis lines through 0 and tick labels in latent coordinates over a square canvas of D device
     px showing the window W = [x0, x1, y0, y1]; d: device px per CSS px. Also the interpolation
     page's mini-maps (HC.mapAxes). */
  function mapAxes(g, W, D, d, fg) {
    var X = function (x) { return (x - W[0]) / (W[1] - W[0]) * D; }, Y = function (y) { return (W[3] - y) / (W[3] - W[2]) * D; };
    // A tiny map (the draw page's zoom insets, ~80 px) gets about two ticks an axis, not four:
    // its labels ran into each other. The home page's ~155-px maps keep four, or they showed
    // one label or none and two maps of very different scales looked alike.
    var step = HC.niceStep(Math.min(W[1] - W[0], W[3] - W[2]) * (D < 120 * d ? 2 : 1));
    var nd = HC.stepDigits(step);
    g.save();
    g.strokeStyle = fg; g.fillStyle = fg; g.globalAlpha = 0.55; g.lineWidth = d;
    g.font = (10 * d) + "px sans-serif";
    g.beginPath(); g.moveTo(0, Y(0)); g.lineTo(D, Y(0)); g.moveTo(X(0), 0); g.lineTo(X(0), D); g.stroke();
    g.globalAlpha = 0.9;
    g.textAlign = "center"; g.textBaseline = "bottom";
    for (var x = Math.ceil(W[0] / step) * step; x <= W[1]; x += step) {
      // the corner belongs to the y labels; a label centred on the right edge was cut off
      if (Math.abs(x) < step / 2 || X(x) < 24 * d || X(x) > D - 14 * d) continue;
      g.fillText(HC.fmt(x, nd), X(x), D - 2 * d);
      g.fillRect(X(x) - d / 2, D - 17 * d, d, 3 * d);  // above the label, not across it
    }
    g.textAlign = "left"; g.textBaseline = "middle";
    for (var y = Math.ceil(W[2] / step) * step; y <= W[3]; y += step) {
      // a label centred on the top edge was cut in half, as one on the bottom ran into the x labels
      if (Math.abs(y) < step / 2 || Y(y) > D - 16 * d || Y(y) < 7 * d) continue;
      g.fillText(HC.fmt(y, nd), 2 * d, Y(y));
    }
    g.restore();
  }
  HC.mapAxes = mapAxes;
  /* Points as dots; a point beyond the map's window is pinned to its edge as a ring, not a dot,
     so a pile along the edge does not read as codes drawn there. */
  LatentMap.prototype.points = function (g, pts, color, size) {
    var d = this.dpr, r = (size || 3.2) * d, D = this.canvas.width;
    g.save();
    for (var i = 0; i < pts.length; i++) {
      var x = Math.max(r, Math.min(D - r, this.X(pts[i][0]))), y = Math.max(r, Math.min(D - r, this.Y(pts[i][1])));
      g.beginPath(); g.arc(x, y, r, 0, 2 * Math.PI);
      if (this.beyond(pts[i])) { g.lineWidth = 1.5 * d; g.strokeStyle = color; g.stroke(); continue; }
      g.fillStyle = color; g.fill();
      g.lineWidth = 1.2 * d; g.strokeStyle = this.halo; g.stroke();
    }
    g.restore();
  };
  /* Whether a point lies beyond the map's window, and how many of some points do. */
  LatentMap.prototype.beyond = function (q) {
    var W = this.win;
    return q[0] < W[0] || q[0] > W[1] || q[1] < W[2] || q[1] > W[3];
  };
  LatentMap.prototype.outside = function (pts) { return pts.filter(this.beyond, this).length; };
  /* A VAE cloud: μ with its 1σ and 2σ ellipses (axis-aligned: the encoder's σ is diagonal). */
  LatentMap.prototype.cloud = function (g, cl, color) {
    var d = this.dpr, u = this.unit(), self = this;
    g.save();
    g.strokeStyle = color; g.fillStyle = color;
    [2, 1].forEach(function (k) {
      g.globalAlpha = k === 1 ? 0.35 : 0.15;
      g.beginPath();
      g.ellipse(self.X(cl.mu[0]), self.Y(cl.mu[1]), Math.max(0.5, k * cl.sigma[0] * u), Math.max(0.5, k * cl.sigma[1] * u), 0, 0, 2 * Math.PI);
      g.fill(); g.globalAlpha = 1; g.lineWidth = 1.5 * d; g.stroke();
    });
    g.restore();
    this.points(g, [cl.mu], color, 3);
  };
  HC.LatentMap = LatentMap;
})();
