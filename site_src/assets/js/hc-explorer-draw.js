/* Latent explorer, drawing: each map's tiles (coarser tiles stand in until the right one
   arrives), the decoded-quality and hole overlays, gap points, training codes, the prior's circles and the probe. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)
  var PRIOR_SMALL_PX = 40;  // CSS px: a 3σ circle narrower than this gets one label on a leader
  // CSS px: the smallest a decoded digit is drawn. Tiles are otherwise picked to match the
  // screen's device pixels, which on a phone (3 device px per CSS px) put 64 digits of 6 px
  // across the map: sharp, but too small to read.
  var MIN_DIGIT_CSS = 14;

  /* The pyramid level drawn when the whole window spans S device px: the one whose pixels match
     the screen's, or a coarser one where that would draw digits under MIN_DIGIT_CSS. */
  function tileLevel(ix, S, dpr) {
    var sharp = Math.ceil(Math.log2(S / ix.tile_px) - 1e-9);
    var legible = Math.floor(Math.log2(S / dpr / (ix.tile_digits * MIN_DIGIT_CSS)) + 1e-9);
    return Math.max(0, Math.min(ix.levels - 1, sharp, legible));
  }
  HC.tileLevel = tileLevel;  // for the tests, which try it on the default build's pyramid

  P.resize = function () {
    var dpr = window.devicePixelRatio || 1;
    this.maps.forEach(function (map) {
      var w = Math.max(120, Math.floor(map.canvas.parentNode.clientWidth));
      map.cssW = w; map.dpr = dpr;
      map.canvas.style.width = w + "px"; map.canvas.style.height = w + "px";
      map.canvas.width = Math.round(w * dpr); map.canvas.height = Math.round(w * dpr);
    });
    this.redraw();
  };
  P.redraw = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.requestAnimationFrame(function () {
      self.pending = false;
      self.maps.forEach(function (map) { self.draw(map); });
    });
  };
  P.tile = function (map, k, x, y) {
    var key = k + "/" + x + "_" + y, t = map.tiles[key], self = this;
    if (t) return t.img;
    t = map.tiles[key] = { img: null };
    var url = this.base + map.m.tiles + map.index.pattern.replace("{level}", k).replace("{x}", x).replace("{y}", y);
    HC.image(url).then(function (im) { t.img = im; self.redraw(); }, function () { /* keep fallback */ });
    return null;
  };
  P.draw = function (map) {
    if (!map.cssW) return;
    var g = map.ctx, V = this.view, ix = map.index, D = map.canvas.width;
    var S = D * V.zoom;  // device px per relative unit
    var ox = D / 2 - V.cx * S, oy = D / 2 - V.cy * S;  // screen position of relative (0, 0)
    g.setTransform(1, 0, 0, 1, 0, 0);
    var C = this.meta.map_colors;
    g.fillStyle = C.background; g.fillRect(0, 0, D, D);
    var k = tileLevel(ix, S, map.dpr);
    map.level = k; map.canvas.setAttribute("data-level", String(k));
    var n = Math.pow(2, k), ts = S / n;
    g.imageSmoothingEnabled = ts < ix.tile_px;
    var x0 = Math.max(0, Math.floor(-ox / ts)), x1 = Math.min(n - 1, Math.floor((D - ox) / ts));
    var y0 = Math.max(0, Math.floor(-oy / ts)), y1 = Math.min(n - 1, Math.floor((D - oy) / ts));
    for (var ty = y0; ty <= y1; ty++) for (var tx = x0; tx <= x1; tx++) {
      var dx = ox + tx * ts, dy = oy + ty * ts, img = this.tile(map, k, tx, ty);
      if (img) { g.drawImage(img, dx, dy, ts + 0.5, ts + 0.5); continue; }
      for (var j = k - 1; j >= 0; j--) {  // a coarser tile, cropped, until the right one arrives
        var sh = k - j, key = j + "/" + (tx >> sh) + "_" + (ty >> sh), anc = map.tiles[key];
        if (anc && anc.img) {
          var sub = ix.tile_px / Math.pow(2, sh);
          g.drawImage(anc.img, (tx & ((1 << sh) - 1)) * sub, (ty & ((1 << sh) - 1)) * sub, sub, sub, dx, dy, ts + 0.5, ts + 0.5);
          break;
        }
      }
    }
    var W = map.m.window, sx = S / (W[1] - W[0]), sy = S / (W[3] - W[2]);
    var px = function (x) { return ox + (x - W[0]) * sx; }, py = function (y) { return oy + (W[3] - y) * sy; };
    g.imageSmoothingEnabled = false;
    if (this.show.quality && map.qualityImg) g.drawImage(map.qualityImg, ox, oy, S, S);
    if (this.show.holes && map.holesImg) g.drawImage(map.holesImg, ox, oy, S, S);
    if (this.show.holes && map.m.gaps) {  // gap points: the centres of the largest holes
      g.save();
      var a = 6 * map.dpr;
      map.m.gaps.forEach(function (p) {
        var gx = px(p[0]), gy = py(p[1]);
        [[4 * map.dpr, C.halo], [2 * map.dpr, C.gap]].forEach(function (st) {
          g.lineWidth = st[0]; g.strokeStyle = st[1];
          g.beginPath(); g.moveTo(gx - a, gy - a); g.lineTo(gx + a, gy + a); g.moveTo(gx - a, gy + a); g.lineTo(gx + a, gy - a); g.stroke();
        });
      });
      g.restore();
    }
    if (this.show.codes && map.codes && this.labels) this.drawCodes(map, g, px, py, D);
    if (this.show.replay) this.drawReplay(map, g, px, py, D);
    if (this.show.prior) {
      g.save();
      g.lineWidth = 1.5 * map.dpr;
      g.setLineDash([6 * map.dpr, 4 * map.dpr]);
      g.globalAlpha = 0.9;
      g.strokeStyle = g.fillStyle = C.prior;
      g.font = (13 * map.dpr) + "px sans-serif";
      // Light text with a dark halo, as the axes' labels: readable over white digits and black.
      var self = this, label = function (text, x, y) {
        g.save(); g.setLineDash([]); self.haloLabel(g, text, x, y, map.dpr, C); g.restore();
      };
      // One label per circle, or one on a leader where the circles are a dot (HC.priorRings).
      var sig = this.meta.prior_sigmas;
      HC.priorRings(g, {
        x0: px(0), y0: py(0), ux: sx, uy: sy, sigmas: sig, ringLabels: true, label: label,
        smallPx: PRIOR_SMALL_PX * map.dpr, lead: 18 * map.dpr, width: map.canvas.width,
        smallText: "N(0, I): " + sig[0] + "\u2013" + sig[sig.length - 1] + "\u03c3, true size"
      });
      g.restore();
    }
    this.drawAxes(map, g, px, py, D, S);
    if (map.probe) {
      var cx = px(map.probe.x), cy = py(map.probe.y), r = 9 * map.dpr;
      g.save();
      g.lineWidth = 3 * map.dpr; g.strokeStyle = C.probe_outline;
      g.beginPath(); g.moveTo(cx - r, cy); g.lineTo(cx + r, cy); g.moveTo(cx, cy - r); g.lineTo(cx, cy + r); g.stroke();
      g.lineWidth = 1.5 * map.dpr; g.strokeStyle = C.probe;
      g.beginPath(); g.moveTo(cx - r, cy); g.lineTo(cx + r, cy); g.moveTo(cx, cy - r); g.lineTo(cx, cy + r); g.stroke();
      g.restore();
    }
  };
  P.drawCodes = function (map, g, px, py, D) {
    var codes = map.codes, lab = this.labels, n = Math.min(lab.length, codes.length / 2);
    if (!map.byLabel) {  // indices grouped by digit: one fillStyle change per digit
      map.byLabel = [];
      for (var d = 0; d < 10; d++) map.byLabel.push([]);
      for (var i = 0; i < n; i++) map.byLabel[lab[i] % 10].push(i);
    }
    var r = Math.max(1, Math.min(3, 0.8 + this.view.zoom * 0.15)) * map.dpr;
    g.save();
    g.globalAlpha = 0.75;
    for (var c = 0; c < 10; c++) {
      g.fillStyle = this.meta.digit_colors[c];
      var idx = map.byLabel[c];
      for (var j = 0; j < idx.length; j++) {
        var q = idx[j], x = px(codes[2 * q]), y = py(codes[2 * q + 1]);
        if (x < -r || y < -r || x > D + r || y > D + r) continue;
        g.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
    }
    g.restore();
  };
})();
