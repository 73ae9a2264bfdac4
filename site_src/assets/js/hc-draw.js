/* Draw your own digit: a canvas of the data's image size whose drawing goes through both real
   encoders in the page (hc-models.js): the AE's point and the VAE's cloud (μ with its 1σ and 2σ
   ellipses at true scale, and a zoomed view when the cloud is small) on each model's map, both
   reconstructions and the training images whose codes lie nearest.
   Data: <base>explorer/meta.json, live.json, labels.bin, codes-<id>.bin, train-sheet-<k>.png. */
(function () {
  "use strict";
  var HC = window.HC;
  var S;  // the image's side in pixels: the canvas's size, which the page sets from the data
  var BRUSH = 1.4;  // brush radius in pixels: strokes about as wide as MNIST's
  var ZOOM_BELOW = 10;  // CSS px: a cloud whose 1σ ellipse is narrower gets a zoomed view

  function Draw(root) {
    S = +root.querySelector(".hc-draw-canvas").getAttribute("width");
    this.root = root; this.base = HC.base(root); this.x = new Float32Array(S * S); this.panels = []; this.example = 0;
  }

  Draw.prototype.start = function () {
    var self = this, root = this.root, exp = this.base + "explorer/";
    Promise.all([HC.json(exp + "meta.json"), HC.json(exp + "live.json")]).then(function (r) {
      self.meta = r[0]; self.live = r[1];
      if (!self.meta.live) throw new Error("this build's models cannot run in the page");
      var ids = [self.meta.main_pair.ae, self.meta.main_pair.vae].filter(function (id) { return self.live.models[id]; });
      return Promise.all([
        HC.models().then(function (nn) { return Promise.all(ids.map(function (id) { return nn.load(self.base, self.meta.live, id, true); })); }),
        HC.bytes(exp + self.meta.labels),
        Promise.all(ids.map(function (id) { return HC.bytes(exp + self.meta.models[id].codes); }))
      ]).then(function (d) {
        self.labels = new Uint8Array(d[1]);
        ids.forEach(function (id, i) { self.addPanel(id, d[0][i], HC.halfToFloat(d[2][i])); });
      });
    }).then(function () {
      self.bind();
      self.useTest(0);
      var st = root.querySelector(".hc-status"); if (st) st.textContent = "";
      if (window.ResizeObserver) new ResizeObserver(function () { self.panels.forEach(function (p) { p.map.resize(); p.zoom.resize(); }); self.update(); })
        .observe(root.querySelector(".hc-draw-panels"));
      root.setAttribute("data-ready", "1");
    }).catch(function (e) { HC.fail(root, e); });
  };

  Draw.prototype.addPanel = function (id, model, codes) {
    var m = this.live.models[id], fig = HC.el("div", { "class": "hc-draw-panel", "data-model": id });
    var title = HC.el("p", { "class": "hc-panel-title" }, m.label === "AE" ? "Autoencoder (AE): a point" : "VAE: a cloud");
    title.style.borderColor = m.color;
    var row = HC.el("div", { "class": "hc-draw-maps" });
    var map = HC.el("canvas", { "class": "hc-draw-map", role: "img", "aria-label": m.label + " latent map with your drawing's code" });
    var zoom = HC.el("canvas", { "class": "hc-draw-zoom", role: "img", "aria-label": "Zoomed view around the " + m.label + " code" });
    var zoomBox = HC.el("div", { "class": "hc-draw-zoombox" });
    zoomBox.appendChild(HC.el("span", { "class": "hc-draw-zoomlabel" }));
    zoomBox.appendChild(zoom);
    row.appendChild(map); row.appendChild(zoomBox);
    var recon = HC.el("canvas", { "class": "hc-draw-recon", width: "112", height: "112", role: "img",
                                   "aria-label": m.label + " reconstruction of your drawing" });
    var text = HC.el("p", { "class": "hc-draw-code", "aria-live": "polite" });
    var out = HC.el("div", { "class": "hc-draw-out" });
    out.appendChild(recon); out.appendChild(text);
    var nn = HC.el("ol", { "class": "hc-nn-list", "aria-label": "Nearest training images by " + m.label + " code" });
    fig.appendChild(title); fig.appendChild(row); fig.appendChild(out);
    fig.appendChild(HC.el("p", { "class": "hc-nn-title" }, "Nearest training images (by " + m.label + " code):"));
    fig.appendChild(nn);
    this.root.querySelector(".hc-draw-panels").appendChild(fig);
    var zm = new HC.LatentMap(zoom, m, this.live.code_labels, this.live.digit_colors, this.live.map_colors.halo, this.live.prior_sigmas);
    this.panels.push({ id: id, m: m, model: model, codes: codes, fig: fig, recon: recon, text: text, nn: nn, zoomBox: zoomBox,
                       map: new HC.LatentMap(map, m, this.live.code_labels, this.live.digit_colors, this.live.map_colors.halo, this.live.prior_sigmas), zoom: zm });
  };

  Draw.prototype.bind = function () {
    var self = this, c = this.root.querySelector(".hc-draw-canvas"), down = false, last = null;
    this.canvas = c;
    function at(ev) { var r = c.getBoundingClientRect(); return [(ev.clientX - r.left) / r.width * S, (ev.clientY - r.top) / r.height * S]; }
    c.addEventListener("pointerdown", function (ev) { ev.preventDefault(); c.setPointerCapture(ev.pointerId); down = true; last = at(ev); self.startStroke(); self.ink(last, last); });
    c.addEventListener("pointermove", function (ev) { if (!down) return; var p = at(ev); self.ink(last, p); last = p; });
    function up() { if (!down) return; down = false; self.centre(); self.what = "your drawing"; self.update(); }
    c.addEventListener("pointerup", up); c.addEventListener("pointercancel", up);
    this.bindKeys(c);
    this.root.querySelector(".hc-draw-clear").addEventListener("click", function () { self.x.fill(0); self.testShown = false; self.what = "an empty canvas"; self.update(); });
    this.root.querySelector(".hc-draw-test").addEventListener("click", function () { self.useTest(self.example + 1); });
  };
  /* Drawing from the keyboard: the arrow keys move a cursor (Shift: 3 pixels), Space puts the
     pen down (the cursor's moves then ink) and lifts it again, which ends the stroke as a
     pointer's release does; Escape lifts it too. */
  var STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  Draw.prototype.bindKeys = function (c) {
    var self = this;
    this.cursor = [S / 2, S / 2]; this.pen = false;
    c.tabIndex = 0; c.setAttribute("role", "application");  // it takes its own keys
    c.addEventListener("focus", function () { self.update(); });
    c.addEventListener("blur", function () { self.lift(); self.update(); });
    c.addEventListener("keydown", function (ev) {
      var step = STEPS[ev.key];
      if (step) {
        var k = ev.shiftKey ? 3 : 1, from = self.cursor.slice();
        self.cursor = [Math.max(0.5, Math.min(S - 0.5, from[0] + k * step[0])), Math.max(0.5, Math.min(S - 0.5, from[1] + k * step[1]))];
        if (self.pen) self.ink(from, self.cursor); else self.schedule();
      } else if (ev.key === " " || ev.key === "Spacebar") {
        if (self.pen) self.lift(); else { self.pen = true; self.startStroke(); self.ink(self.cursor, self.cursor); }
      } else if (ev.key === "Escape") {
        self.lift();
      } else return;
      ev.preventDefault();
      self.root.setAttribute("data-pen", self.pen ? "down" : "up");
    });
  };
  /* A stroke on a test image starts a drawing of one's own: added to the test digit, a "1"
     read as the 7 it was drawn over. */
  Draw.prototype.startStroke = function () {
    if (this.testShown) { this.x.fill(0); this.testShown = false; }
  };
  Draw.prototype.lift = function () {
    if (!this.pen) return;
    this.pen = false;
    this.centre(); this.what = "your drawing"; this.update();
  };
  /* Ink along the segment a -> b (pixel coordinates), with a soft round brush. */
  Draw.prototype.ink = function (a, b) {
    var n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) * 3));
    for (var k = 0; k <= n; k++) {
      var cx = a[0] + (b[0] - a[0]) * k / n - 0.5, cy = a[1] + (b[1] - a[1]) * k / n - 0.5;
      for (var y = Math.floor(cy - 2); y <= cy + 2; y++) for (var x = Math.floor(cx - 2); x <= cx + 2; x++) {
        if (x < 0 || y < 0 || x >= S || y >= S) continue;
        var d = Math.hypot(x - cx, y - cy), v = Math.max(0, Math.min(1, (BRUSH + 0.6 - d) / 1.2));
        if (v > this.x[y * S + x]) this.x[y * S + x] = v;
      }
    }
    this.what = "your drawing";
    this.schedule();
  };
  /* Shift the drawing so its centre of mass sits at the image centre, as MNIST's digits do
     (the encoders never saw an off-centre digit); the canvas shows the shifted drawing. */
  Draw.prototype.centre = function () {
    var m = 0, mx = 0, my = 0, x = this.x, i;
    for (i = 0; i < S * S; i++) { m += x[i]; mx += x[i] * (i % S); my += x[i] * Math.floor(i / S); }
    if (m <= 0) return;
    var dx = Math.round((S - 1) / 2 - mx / m), dy = Math.round((S - 1) / 2 - my / m), out = new Float32Array(S * S);
    for (i = 0; i < S * S; i++) {
      var c = i % S - dx, r = Math.floor(i / S) - dy;
      if (c >= 0 && r >= 0 && c < S && r < S) out[i] = x[r * S + c];
    }
    this.x = out;
  };
  Draw.prototype.useTest = function (k) {
    var n = this.live.test_labels.length;
    this.example = ((k % n) + n) % n;
    var bin = atob(this.live.test_images), o = this.example * S * S;
    for (var i = 0; i < S * S; i++) this.x[i] = bin.charCodeAt(o + i) / 255;
    this.what = "test image #" + this.example + ", " + HC.aClass(HC.words(this.root), this.live.test_labels[this.example]);
    this.testShown = true;
    this.root.setAttribute("data-example", String(this.example));
    this.update();
  };
  Draw.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.requestAnimationFrame(function () { self.pending = false; self.update(); });
  };

  Draw.prototype.update = function () {
    var g = this.canvas.getContext("2d"), self = this;
    this.canvas.width = this.canvas.height = S;
    HC.nn.paint(g, this.x, 0, 0, S);
    if (document.activeElement === this.canvas) {  // the keyboard cursor: one pixel, outlined
      g.fillStyle = this.live.map_colors[this.pen ? "cursor_pen" : "cursor"];
      g.fillRect(Math.floor(this.cursor[0]), Math.floor(this.cursor[1]), 1, 1);
    }
    this.canvas.setAttribute("aria-label", "Drawing canvas, " + S + " by " + S + " pixels, showing " + this.what +
      ". Arrow keys move the cursor, Space puts the pen down and lifts it.");
    var empty = !this.x.some(function (v) { return v > 0; });
    this.root.setAttribute("data-empty", empty ? "1" : "0");
    this.panels.forEach(function (p) { if (empty) self.showNothing(p); else self.show(p); });
  };
  /* An empty canvas is no digit: its code would be a real point the encoders give a blank
     image, shown as if it were a reading of the reader's drawing. */
  Draw.prototype.showNothing = function (p) {
    p.map.draw({});
    p.zoomBox.hidden = true;
    HC.nn.paint(p.recon.getContext("2d"), new Float32Array(S * S), 0, 0, p.recon.width);
    p.text.textContent = "The canvas is empty: draw a " + HC.words(this.root).noun + ", and the " + p.m.label + "'s encoder will place it here.";
    p.fig.removeAttribute("data-z"); p.fig.removeAttribute("data-sigma");
    p.nn.textContent = "";
  };
  Draw.prototype.show = function (p) {
    var e = p.model.encode(this.x), z = e.z, vae = !!e.sigma;
    var marks = vae ? { cloud: { mu: e.mu, sigma: e.sigma } } : { point: z };
    p.map.draw(marks);
    var w = p.map.css || 1, u = w / (p.m.window[1] - p.m.window[0]);  // CSS px per latent unit
    // Only a cloud has a size to zoom into: the AE's point is as visible on the map as in a zoom.
    var small = vae && Math.min(e.sigma[0], e.sigma[1]) * u < ZOOM_BELOW;
    var half = vae ? 4 * Math.max(e.sigma[0], e.sigma[1]) : (p.m.window[1] - p.m.window[0]) / 12;
    p.zoom.win = [z[0] - half, z[0] + half, z[1] - half, z[1] + half];
    p.zoomBox.hidden = !small;
    if (small) { p.zoom.draw(marks); p.zoomBox.firstChild.textContent = "zoom \u00d7" + Math.round((p.m.window[1] - p.m.window[0]) / (2 * half)); }
    var rg = p.recon.getContext("2d");
    HC.nn.paint(rg, p.model.decode(z), 0, 0, p.recon.width);
    p.text.textContent = vae
      ? "\u03bc = (" + HC.fmt(e.mu[0]) + ", " + HC.fmt(e.mu[1]) + "), \u03c3 = (" + HC.fmt(e.sigma[0], 3) + ", " + HC.fmt(e.sigma[1], 3) +
        "): the cloud. Its reconstruction is decoded at \u03bc."
      : "z = (" + HC.fmt(z[0]) + ", " + HC.fmt(z[1]) + "): one point, and its reconstruction.";
    p.fig.setAttribute("data-z", z[0] + "," + z[1]);
    if (vae) p.fig.setAttribute("data-sigma", e.sigma[0] + "," + e.sigma[1]);
    this.neighbours(p, z);
  };
  Draw.prototype.neighbours = function (p, z) {
    var codes = p.codes, best = [], n = codes.length / 2, sh = this.meta.train_sheets, self = this, w = HC.words(this.root);
    for (var q = 0; q < n; q++) {
      var dx = codes[2 * q] - z[0], dy = codes[2 * q + 1] - z[1], d2 = dx * dx + dy * dy;
      if (best.length < 5 || d2 < best[4][0]) { best.push([d2, q]); best.sort(function (a, b) { return a[0] - b[0]; }); if (best.length > 5) best.pop(); }
    }
    p.nn.textContent = "";
    best.forEach(function (b) {
      var q = b[1], lab = self.labels[q], li = HC.el("li", { "class": "hc-nn-item" });
      var img = HC.el("img", { "class": "hc-nn-img", src: HC.BLANK, width: "42", height: "42", alt: "Training image " + q + ", " + HC.aClass(w, lab) });
      var cap = HC.el("span", { "class": "hc-nn-label", "data-label": String(lab) }, String(lab));
      cap.style.borderColor = self.meta.digit_colors[lab];
      li.appendChild(img); li.appendChild(cap); p.nn.appendChild(li);
      var s = Math.floor(q / sh.per_sheet), k = q % sh.per_sheet;
      HC.image(self.base + "explorer/" + sh.files[s]).then(function (im) {
        HC.showCrop(img, im, (k % sh.cols) * sh.px, Math.floor(k / sh.cols) * sh.px, sh.px, sh.px, 1.5);
      });
    });
  };

  HC.register(".hc-draw", function (root) { new Draw(root).start(); });
})();
