/* Latent explorer: the AE and VAE decoded-tile pyramids side by side, panned and zoomed together.
   Data: <base>explorer/meta.json, <base>tiles/<id>/index.json and tiles, codes-<id>.bin (float16
   x,y), labels.bin (uint8), holes-<id>.png, train-sheet-<k>.png (loaded on a click only). */
(function () {
  "use strict";
  var HC = window.HC;

  function Explorer(root) {
    this.root = root;
    this.base = HC.base(root);
    this.view = { cx: 0.5, cy: 0.5, zoom: 1 };  // centre in window-relative units (y down), zoom >= 1
    this.maps = [];
    this.show = { codes: false, holes: false, prior: false };
    this.pending = false;
  }

  Explorer.prototype.start = function () {
    var self = this, root = this.root;
    var status = root.querySelector(".hc-status");
    return HC.json(this.base + "explorer/meta.json").then(function (meta) {
      self.meta = meta;
      var ids = Object.keys(meta.models).sort();
      if (!ids.length) throw new Error("no 2-D models in meta.json");
      return Promise.all([
        HC.bytes(self.base + "explorer/" + meta.labels).then(function (b) { self.labels = new Uint8Array(b); }),
        Promise.all(ids.map(function (id) {  // a slot per model first, so the order is fixed
          var slot = HC.el("div", { "class": "hc-map", "data-model": id, role: "group", "aria-label": meta.models[id].label });
          root.querySelector(".hc-maps").appendChild(slot);
          return self.addMap(id, meta.models[id], slot);
        }))
      ]);
    }).then(function () {
      self.bind();
      self.resize();
      if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(root.querySelector(".hc-maps"));
      else window.addEventListener("resize", function () { self.resize(); });
      if (status) status.textContent = "";
      root.setAttribute("data-ready", "1");
    }).catch(function (e) { HC.fail(root, e); });
  };

  Explorer.prototype.addMap = function (id, m, fig) {
    var self = this;
    return HC.json(this.base + m.tiles + "index.json").then(function (index) {
      var cap = HC.el("p", { "class": "hc-map-title", "aria-hidden": "true" }, m.label);
      var canvas = HC.el("canvas", {
        "class": "hc-canvas", tabindex: "0", role: "img",
        "aria-label": m.label + " latent map: decoded digits over x " + HC.fmt(m.window[0], 1) + " to " +
          HC.fmt(m.window[1], 1) + ", y " + HC.fmt(m.window[2], 1) + " to " + HC.fmt(m.window[3], 1) +
          ". Drag or arrow keys to pan, wheel or + and - to zoom, click or Enter to inspect a point."
      });
      var info = HC.el("div", { "class": "hc-info", "aria-live": "polite" });
      var decode = HC.el("img", { "class": "hc-decode", src: HC.BLANK, alt: "", width: "112", height: "112" });
      var text = HC.el("div", { "class": "hc-info-text" }, "Click the map (or focus it and press Enter) to inspect a point.");
      var nn = HC.el("div", { "class": "hc-nn", "aria-label": "Nearest training images" });
      info.appendChild(decode); info.appendChild(text); info.appendChild(nn);
      fig.appendChild(cap); fig.appendChild(canvas); fig.appendChild(info);
      var map = { id: id, m: m, index: index, fig: fig, canvas: canvas, ctx: canvas.getContext("2d"),
                  decode: decode, text: text, nn: nn, tiles: {}, codes: null, probe: null };
      self.maps.push(map);
      HC.image(self.base + "explorer/" + m.holes).then(function (im) { map.holesImg = im; self.redraw(); });
      return Promise.all([
        HC.bytes(self.base + "explorer/" + m.codes).then(function (b) { map.codes = HC.halfToFloat(b); map.byLabel = null; }),
        m.counts ? HC.bytes(self.base + "explorer/" + m.counts).then(function (b) { map.counts = new Uint16Array(b); }) : null
      ]);
    });
  };

  // ------------------------------------------------------------------------------ geometry
  Explorer.prototype.maxZoom = function (map) {
    var ix = map.index, cells = Math.pow(2, ix.levels - 1) * ix.tile_digits;
    return Math.max(2, cells / 3);  // at most: one finest digit fills a third of the map
  };
  Explorer.prototype.setView = function (cx, cy, zoom) {
    var zmax = Math.min.apply(null, this.maps.map(this.maxZoom, this));
    zoom = Math.max(1, Math.min(zmax, zoom));
    this.view.zoom = zoom;
    this.view.cx = Math.max(0, Math.min(1, cx));
    this.view.cy = Math.max(0, Math.min(1, cy));
    this.redraw();
  };
  Explorer.prototype.zoomAt = function (factor, u, v) {
    var V = this.view;
    if (u === undefined) { u = V.cx; v = V.cy; }
    var z2 = Math.max(1, Math.min(Math.min.apply(null, this.maps.map(this.maxZoom, this)), V.zoom * factor));
    var r = V.zoom / z2;
    this.setView(u - (u - V.cx) * r, v - (v - V.cy) * r, z2);
  };
  // Screen (CSS px inside the canvas) <-> window-relative (u right, v down).
  Explorer.prototype.toRel = function (map, x, y) {
    var V = this.view, w = map.cssW;
    return { u: V.cx + (x - w / 2) / (w * V.zoom), v: V.cy + (y - w / 2) / (w * V.zoom) };
  };
  Explorer.prototype.toLatent = function (map, u, v) {
    var W = map.m.window;
    return { x: W[0] + u * (W[1] - W[0]), y: W[3] - v * (W[3] - W[2]) };
  };

  // ------------------------------------------------------------------------------- drawing
  Explorer.prototype.resize = function () {
    var dpr = window.devicePixelRatio || 1;
    this.maps.forEach(function (map) {
      var w = Math.max(120, Math.floor(map.canvas.parentNode.clientWidth));
      map.cssW = w; map.dpr = dpr;
      map.canvas.style.width = w + "px"; map.canvas.style.height = w + "px";
      map.canvas.width = Math.round(w * dpr); map.canvas.height = Math.round(w * dpr);
    });
    this.redraw();
  };
  Explorer.prototype.redraw = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.requestAnimationFrame(function () {
      self.pending = false;
      self.maps.forEach(function (map) { self.draw(map); });
    });
  };
  Explorer.prototype.tile = function (map, k, x, y) {
    var key = k + "/" + x + "_" + y, t = map.tiles[key], self = this;
    if (t) return t.img;
    t = map.tiles[key] = { img: null };
    var url = this.base + map.m.tiles + map.index.pattern.replace("{level}", k).replace("{x}", x).replace("{y}", y);
    HC.image(url).then(function (im) { t.img = im; self.redraw(); }, function () { /* keep fallback */ });
    return null;
  };
  Explorer.prototype.draw = function (map) {
    if (!map.cssW) return;
    var g = map.ctx, V = this.view, ix = map.index, D = map.canvas.width;
    var S = D * V.zoom;  // device px per relative unit
    var ox = D / 2 - V.cx * S, oy = D / 2 - V.cy * S;  // screen position of relative (0, 0)
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.fillStyle = "#000"; g.fillRect(0, 0, D, D);
    var k = Math.max(0, Math.min(ix.levels - 1, Math.ceil(Math.log2(S / ix.tile_px) - 1e-9)));
    map.level = k;
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
    if (this.show.holes && map.holesImg) {
      g.imageSmoothingEnabled = false;
      g.drawImage(map.holesImg, ox, oy, S, S);
    }
    if (this.show.holes && map.m.gaps) {  // gap points: the centres of the largest holes
      g.save();
      var a = 6 * map.dpr;
      map.m.gaps.forEach(function (p) {
        var gx = px(p[0]), gy = py(p[1]);
        [[4 * map.dpr, "#fff"], [2 * map.dpr, "#e8000b"]].forEach(function (st) {
          g.lineWidth = st[0]; g.strokeStyle = st[1];
          g.beginPath(); g.moveTo(gx - a, gy - a); g.lineTo(gx + a, gy + a); g.moveTo(gx - a, gy + a); g.lineTo(gx + a, gy - a); g.stroke();
        });
      });
      g.restore();
    }
    if (this.show.codes && map.codes && this.labels) this.drawCodes(map, g, px, py, D);
    if (this.show.prior) {
      g.save();
      g.lineWidth = 1.5 * map.dpr;
      g.setLineDash([6 * map.dpr, 4 * map.dpr]);
      g.strokeStyle = "rgba(255,255,255,0.9)";
      g.fillStyle = "rgba(255,255,255,0.95)";
      g.font = (11 * map.dpr) + "px sans-serif";
      (this.meta.prior_sigmas || [1, 2, 3]).forEach(function (s) {
        g.beginPath();
        g.ellipse(px(0), py(0), s * sx, s * sy, 0, 0, 2 * Math.PI);
        g.stroke();
        g.fillText(s + "\u03c3", px(0) + s * sx * 0.7071 + 3, py(0) - s * sy * 0.7071 - 3);
      });
      g.restore();
    }
    if (map.probe) {
      var cx = px(map.probe.x), cy = py(map.probe.y), r = 9 * map.dpr;
      g.save();
      g.lineWidth = 3 * map.dpr; g.strokeStyle = "#000";
      g.beginPath(); g.moveTo(cx - r, cy); g.lineTo(cx + r, cy); g.moveTo(cx, cy - r); g.lineTo(cx, cy + r); g.stroke();
      g.lineWidth = 1.5 * map.dpr; g.strokeStyle = "#fff";
      g.beginPath(); g.moveTo(cx - r, cy); g.lineTo(cx + r, cy); g.moveTo(cx, cy - r); g.lineTo(cx, cy + r); g.stroke();
      g.restore();
    }
  };
  Explorer.prototype.drawCodes = function (map, g, px, py, D) {
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
      g.fillStyle = HC.DIGIT_COLORS[c];
      var idx = map.byLabel[c];
      for (var j = 0; j < idx.length; j++) {
        var q = idx[j], x = px(codes[2 * q]), y = py(codes[2 * q + 1]);
        if (x < -r || y < -r || x > D + r || y > D + r) continue;
        g.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
    }
    g.restore();
  };

  // ------------------------------------------------------------------------------- probing
  Explorer.prototype.probe = function (map, u, v) {
    var self = this, ix = map.index, L = ix.levels - 1, n = ix.tile_digits;
    u = Math.max(0, Math.min(0.999999, u)); v = Math.max(0, Math.min(0.999999, v));
    var N = Math.pow(2, L) * n, i = Math.floor(u * N), j = Math.floor(v * N);
    // The decode shown is the finest level's digit whose cell holds the point, decoded at its centre.
    var cu = (i + 0.5) / N, cv = (j + 0.5) / N, z = this.toLatent(map, u, v), zc = this.toLatent(map, cu, cv);
    map.probe = z;
    this.redraw();
    var tx = Math.floor(i / n), ty = Math.floor(j / n);
    var url = this.base + map.m.tiles + ix.pattern.replace("{level}", L).replace("{x}", tx).replace("{y}", ty);
    HC.image(url).then(function (im) {
      HC.showCrop(map.decode, im, (i % n) * ix.digit_px, (j % n) * ix.digit_px, ix.digit_px, ix.digit_px, 4);
      map.decode.alt = "Decode of the " + (map.m.kind === "vae" ? "VAE" : "AE") + " at (" + HC.fmt(zc.x) + ", " + HC.fmt(zc.y) + ")";
    });
    // Density: codes in the analyse grid cell that holds the point (the hole map's cells).
    var W = map.m.window, G = map.m.grid, codes = map.codes, nc = codes ? codes.length / 2 : 0;
    var col = Math.floor((z.x - W[0]) / (W[1] - W[0]) * G), row = Math.floor((z.y - W[2]) / (W[3] - W[2]) * G);
    var inside = col >= 0 && col < G && row >= 0 && row < G, count = 0, best = [];
    var fromGrid = !!map.counts && inside;
    if (fromGrid) count = map.counts[row * G + col];  // analyse's grid: row 0 = lowest y
    for (var q = 0; q < nc; q++) {
      var x = codes[2 * q], y = codes[2 * q + 1];
      if (!fromGrid && inside && Math.floor((x - W[0]) / (W[1] - W[0]) * G) === col && Math.floor((y - W[2]) / (W[3] - W[2]) * G) === row) count++;
      var d2 = (x - z.x) * (x - z.x) + (y - z.y) * (y - z.y);
      if (best.length < 5 || d2 < best[best.length - 1][0]) {
        best.push([d2, q]);
        best.sort(function (a, b) { return a[0] - b[0]; });
        if (best.length > 5) best.pop();
      }
    }
    var cell = (W[1] - W[0]) / G, hole = count <= (this.meta.hole_max_count || 0);
    var model = map.m.kind === "vae" ? "VAE" : "AE";
    map.text.innerHTML = "";
    var dl = HC.el("ul", { "class": "hc-readout" });
    function row2(k, v, cls) {
      var li = HC.el("li"); li.appendChild(HC.el("strong", null, k + " "));
      li.appendChild(HC.el("span", cls ? { "class": cls } : null, v)); dl.appendChild(li);
    }
    row2(model + " point", "(" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + ")", "hc-coords");
    row2("Decoded at", "(" + HC.fmt(zc.x) + ", " + HC.fmt(zc.y) + "), the nearest tile digit's centre");
    if (!inside) row2("Codes in its grid cell", "none: the point is outside the analysed window", "hc-density");
    else row2("Codes in its grid cell", count + " of " + nc.toLocaleString("en") + (hole ? " \u2014 a hole" : "") +
      " (cell side " + HC.fmt(cell, 3) + "; " + HC.fmt(count / (cell * cell), 1) + " codes per unit\u00b2)", "hc-density");
    map.text.appendChild(dl);
    map.fig.setAttribute("data-density", String(count));
    map.fig.setAttribute("data-z", z.x + "," + z.y);  // exact point, for tests and scripts
    this.showNeighbours(map, best, model);
  };
  Explorer.prototype.showNeighbours = function (map, best, model) {
    var self = this, sh = this.meta.train_sheets, nn = map.nn;
    nn.innerHTML = "";
    nn.appendChild(HC.el("p", { "class": "hc-nn-title" }, "Nearest training images (by " + model + " code):"));
    var list = HC.el("ol", { "class": "hc-nn-list" });
    nn.appendChild(list);
    best.forEach(function (b) {
      var q = b[1], lab = self.labels[q];
      var li = HC.el("li", { "class": "hc-nn-item" });
      var img = HC.el("img", { "class": "hc-nn-img", src: HC.BLANK, width: "56", height: "56",
                               alt: "Training image " + q + ", a " + lab });
      var cap = HC.el("span", { "class": "hc-nn-label", "data-label": String(lab) }, String(lab));
      cap.style.borderColor = HC.DIGIT_COLORS[lab];
      li.appendChild(img); li.appendChild(cap);
      li.title = "training image #" + q + ", label " + lab + ", distance " + HC.fmt(Math.sqrt(b[0]), 3);
      list.appendChild(li);
      var s = Math.floor(q / sh.per_sheet), p = q % sh.per_sheet;
      HC.image(self.base + "explorer/" + sh.files[s]).then(function (im) {
        HC.showCrop(img, im, (p % sh.cols) * sh.px, Math.floor(p / sh.cols) * sh.px, sh.px, sh.px, 2);
      });
    });
  };

  // ------------------------------------------------------------------------------- input
  Explorer.prototype.bind = function () {
    var self = this, root = this.root;
    function q(sel) { return root.querySelector(sel); }
    function on(sel, ev, fn) { var e = q(sel); if (e) e.addEventListener(ev, fn); }
    on(".hc-zoom-in", "click", function () { self.zoomAt(1.5); });
    on(".hc-zoom-out", "click", function () { self.zoomAt(1 / 1.5); });
    on(".hc-reset", "click", function () { self.setView(0.5, 0.5, 1); });
    [["codes", ".hc-toggle-codes"], ["holes", ".hc-toggle-holes"], ["prior", ".hc-toggle-prior"]].forEach(function (p) {
      var e = q(p[1]);
      if (!e) return;
      self.show[p[0]] = e.checked;
      e.addEventListener("change", function () { self.show[p[0]] = e.checked; self.redraw(); });
    });
    this.maps.forEach(function (map) {
      var c = map.canvas, pts = {}, drag = null;
      function local(ev) { var r = c.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
      c.addEventListener("pointerdown", function (ev) {
        c.setPointerCapture(ev.pointerId);
        pts[ev.pointerId] = local(ev);
        var ids = Object.keys(pts);
        if (ids.length === 1) drag = { start: local(ev), view: { cx: self.view.cx, cy: self.view.cy }, moved: false };
        else if (ids.length === 2) {
          var a = pts[ids[0]], b = pts[ids[1]];
          drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), zoom: self.view.zoom, moved: true };
        }
      });
      c.addEventListener("pointermove", function (ev) {
        if (!(ev.pointerId in pts) || !drag) return;
        pts[ev.pointerId] = local(ev);
        var ids = Object.keys(pts), p = local(ev);
        if (drag.pinch && ids.length === 2) {
          var a = pts[ids[0]], b = pts[ids[1]], d = Math.hypot(a.x - b.x, a.y - b.y);
          var mid = self.toRel(map, (a.x + b.x) / 2, (a.y + b.y) / 2);
          self.zoomAt(drag.zoom * d / drag.pinch / self.view.zoom, mid.u, mid.v);
        } else if (!drag.pinch) {
          var dx = p.x - drag.start.x, dy = p.y - drag.start.y;
          if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
          if (drag.moved) {
            var s = map.cssW * self.view.zoom;
            self.setView(drag.view.cx - dx / s, drag.view.cy - dy / s, self.view.zoom);
          }
        }
      });
      function up(ev) {
        if (!(ev.pointerId in pts)) return;
        delete pts[ev.pointerId];
        if (drag && !drag.moved && ev.type === "pointerup") {
          var p = local(ev), r = self.toRel(map, p.x, p.y);
          if (r.u >= 0 && r.u <= 1 && r.v >= 0 && r.v <= 1) self.probe(map, r.u, r.v);
        }
        if (!Object.keys(pts).length) drag = null;
      }
      c.addEventListener("pointerup", up);
      c.addEventListener("pointercancel", up);
      c.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        var p = local(ev), r = self.toRel(map, p.x, p.y);
        self.zoomAt(Math.pow(1.0015, -ev.deltaY * (ev.deltaMode === 1 ? 30 : 1)), r.u, r.v);
      }, { passive: false });
      c.addEventListener("keydown", function (ev) {
        var step = 0.1 / self.view.zoom, V = self.view, k = ev.key;
        if (k === "ArrowLeft") self.setView(V.cx - step, V.cy, V.zoom);
        else if (k === "ArrowRight") self.setView(V.cx + step, V.cy, V.zoom);
        else if (k === "ArrowUp") self.setView(V.cx, V.cy - step, V.zoom);
        else if (k === "ArrowDown") self.setView(V.cx, V.cy + step, V.zoom);
        else if (k === "+" || k === "=") self.zoomAt(1.5);
        else if (k === "-" || k === "_") self.zoomAt(1 / 1.5);
        else if (k === "0") self.setView(0.5, 0.5, 1);
        else if (k === "Enter" || k === " ") self.probe(map, V.cx, V.cy);
        else return;
        ev.preventDefault();
      });
    });
  };

  HC.register(".hc-explorer", function (root) { new Explorer(root).start(); });
  HC.Explorer = Explorer;
})();
