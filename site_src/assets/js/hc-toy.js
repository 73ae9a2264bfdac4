/* Toy models 64 -> 32 -> 2 -> 32 -> 64, run in the page from <base>toy/toy.json: an AE and a VAE
   at a few β. Paint cells of the 8x8 grid (click, drag, or arrows + Enter) and see the 2-D code
   (the VAE: μ with its σ ellipse) move on the map of the 1,797 digits' codes, and the decoder's
   reconstruction; or decode a point of the map, or a sample of N(0, I), with the input marked as
   not in use. Plain matrix-vector products, no library. */
(function () {
  "use strict";
  var HC = window.HC;

  function dense(L, x) {  // y = act(W x + b), W row-major [out][in]
    var W = L.W, b = L.b, y = new Float64Array(b.length);
    for (var i = 0; i < b.length; i++) {
      var s = b[i], row = W[i];
      for (var j = 0; j < row.length; j++) s += row[j] * x[j];
      y[i] = L.act === "tanh" ? Math.tanh(s) : L.act === "sigmoid" ? 1 / (1 + Math.exp(-s)) :
             L.act === "relu" ? Math.max(0, s) : s;
    }
    return y;
  }
  function gauss() { var u = 1 - Math.random(), v = Math.random(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); }

  function Toy(root) { this.root = root; this.base = HC.base(root); this.x = new Float64Array(64); this.example = 0; this.vae = -1; }

  Toy.prototype.start = function () {
    var self = this;
    HC.json(this.base + "toy/toy.json").then(function (t) { self.t = t; self.build(); self.root.setAttribute("data-ready", "1"); })
      .catch(function (e) { HC.fail(self.root, e); });
  };
  /* The current model: the AE (vae = -1) or the VAE at t.vaes[vae]. */
  Toy.prototype.model = function () { return this.vae < 0 ? this.t : this.t.vaes[this.vae]; };
  Toy.prototype.encode = function (x) {
    var L = this.model().layers;
    if (this.vae < 0) return { z: Array.from(dense(L.enc2, dense(L.enc1, x))) };
    var h = dense(L.enc1, x), mu = Array.from(dense(L.mu, h)), lv = dense(L.logvar, h);
    return { z: mu, sigma: [Math.exp(0.5 * lv[0]), Math.exp(0.5 * lv[1])] };
  };
  Toy.prototype.decode = function (z) { var L = this.model().layers; return dense(L.dec2, dense(L.dec1, z)); };

  Toy.prototype.build = function () {
    var self = this, root = this.root;
    var grid = root.querySelector(".hc-toy-grid");
    HC.legend(root.querySelector(".hc-legend"), HC.classItems(this.t.digit_colors, { classes: [] }));
    grid.innerHTML = "";
    this.cells = [];
    for (var r = 0; r < 8; r++) for (var c = 0; c < 8; c++) {
      var b = HC.el("button", { type: "button", "class": "hc-cell", "data-index": String(r * 8 + c),
                                "aria-pressed": "false", "aria-label": "Row " + (r + 1) + ", column " + (c + 1),
                                tabindex: r === 0 && c === 0 ? "0" : "-1" });
      grid.appendChild(b);
      this.cells.push(b);
    }
    this.bindPaint(grid);
    var on = function (sel, fn) { var e = root.querySelector(sel); if (e) e.addEventListener("click", fn); };
    on(".hc-toy-clear", function () { self.x.fill(0); self.update(); });
    on(".hc-toy-invert", function () { for (var i = 0; i < 64; i++) self.x[i] = 1 - self.x[i]; self.update(); });
    on(".hc-toy-example", function () { self.loadExample(self.example); self.example = (self.example + 1) % self.t.n; });
    on(".hc-toy-random", function () { self.example = Math.floor(Math.random() * self.t.n); self.loadExample(self.example); });
    on(".hc-toy-prior", function () {
      var z = [gauss(), gauss()];
      self.show({ z: z }, "a sample of N(0,\u00a0I)", true);
    });
    this.map = root.querySelector(".hc-toy-map");
    this.recon = root.querySelector(".hc-toy-recon");
    this.bindModel();
    this.map.addEventListener("click", function (ev) {  // click the map: decode that point
      var r = self.map.getBoundingClientRect(), W = self.model().window;
      var z = [W[0] + (ev.clientX - r.left) / r.width * (W[1] - W[0]), W[3] - (ev.clientY - r.top) / r.height * (W[3] - W[2])];
      self.show({ z: z }, "the point you clicked on the map", true);
    });
    this.loadExample(0);
    this.example = 1;
  };
  /* Mouse, pen or finger: press a cell to flip it and drag to paint more cells the same way;
     keyboard: arrows move, Enter/Space flip (a click with detail 0). */
  Toy.prototype.bindPaint = function (grid) {
    var self = this, ink = null;
    function cellAt(ev) { var e = document.elementFromPoint(ev.clientX, ev.clientY); return e && e.closest ? e.closest(".hc-toy-grid .hc-cell") : null; }
    function paint(b) { if (!b) return; var i = +b.getAttribute("data-index"); if (self.x[i] !== ink) { self.x[i] = ink; self.update(); } }
    grid.addEventListener("pointerdown", function (ev) {
      var b = ev.target.closest(".hc-cell");
      if (!b) return;
      ev.preventDefault();
      ink = self.x[+b.getAttribute("data-index")] >= 0.5 ? 0 : 1;
      paint(b);
    });
    grid.addEventListener("pointermove", function (ev) { if (ink !== null) paint(cellAt(ev)); });
    window.addEventListener("pointerup", function () { ink = null; });
    grid.addEventListener("click", function (ev) {
      var b = ev.target.closest(".hc-cell");
      if (!b || ev.detail !== 0) return;  // pointers paint on pointerdown
      var i = +b.getAttribute("data-index");
      self.x[i] = self.x[i] >= 0.5 ? 0 : 1;
      self.update();
    });
    grid.addEventListener("keydown", function (ev) {  // roving focus
      var b = ev.target.closest(".hc-cell");
      if (!b) return;
      var i = +b.getAttribute("data-index"), r = i >> 3, c = i & 7;
      if (ev.key === "ArrowLeft") c = Math.max(0, c - 1);
      else if (ev.key === "ArrowRight") c = Math.min(7, c + 1);
      else if (ev.key === "ArrowUp") r = Math.max(0, r - 1);
      else if (ev.key === "ArrowDown") r = Math.min(7, r + 1);
      else if (ev.key === "Home") { r = 0; c = 0; }
      else if (ev.key === "End") { r = 7; c = 7; }
      else return;
      ev.preventDefault();
      self.focusCell(r * 8 + c);
    });
  };
  /* The AE / VAE switch and the β slider (the VAEs' stops, in t.vaes order). */
  Toy.prototype.bindModel = function () {
    var self = this, root = this.root, slider = root.querySelector(".hc-toy-beta"), out = root.querySelector(".hc-toy-beta-value");
    var vaes = this.t.vaes || [];
    var one = vaes.map(function (v) { return v.beta; }).indexOf(1);
    slider.max = String(Math.max(0, vaes.length - 1));
    slider.value = String(one >= 0 ? one : 0);
    function set() {
      var kind = root.querySelector(".hc-toy-kind:checked").value;
      self.vae = kind === "vae" && vaes.length ? +slider.value : -1;
      slider.disabled = self.vae < 0;
      var b = vaes[+slider.value] ? vaes[+slider.value].beta : 1;
      out.textContent = self.vae < 0 ? "\u03b2: VAE only" : "\u03b2 = " + b;  // an AE has no KL term
      slider.setAttribute("aria-valuetext", "beta " + b);
      root.setAttribute("data-model", self.vae < 0 ? "ae" : "vae-" + b);
      // Another model, the same input: a chosen point (a sample of N(0, I), a map click) is
      // decoded again by the new model; it used to give way to the grid's old example.
      if (self.chosen) self.show({ z: self.chosen.z }, self.chosen.what, true);
      else self.update(self.inputWhat);  // and keep saying what the grid holds
    }
    root.querySelectorAll(".hc-toy-kind").forEach(function (r) { r.addEventListener("change", set); });
    slider.addEventListener("input", set);
    set();
  };

  Toy.prototype.focusCell = function (i) {
    this.cells.forEach(function (c, j) { c.setAttribute("tabindex", j === i ? "0" : "-1"); });
    this.cells[i].focus();
  };
  Toy.prototype.loadExample = function (k) {
    var px = this.t.pixels[k];
    for (var i = 0; i < 64; i++) this.x[i] = px[i] / 16;
    this.update("example #" + k + " of the training set, a " + this.t.labels[k]);
  };

  Toy.prototype.update = function (what) {
    if (!this.cells) return;
    for (var i = 0; i < 64; i++) {
      var v = this.x[i], b = this.cells[i];
      b.setAttribute("aria-pressed", v >= 0.5 ? "true" : "false");
      b.style.setProperty("--hc-ink", String(v));
    }
    this.inputWhat = what || "your drawing";
    this.chosen = null;  // the grid is in use again
    this.show(this.encode(this.x), this.inputWhat, false);
  };

  /* e: {z, sigma?}; chosen: the point was chosen (map, prior), so the input grid is not in use. */
  Toy.prototype.show = function (e, what, chosen) {
    var z = e.z, root = this.root, rec = this.decode(z);
    if (chosen) this.chosen = { z: z, what: what };
    root.querySelector(".hc-toy-grid").classList.toggle("hc-idle", !!chosen);
    root.querySelector(".hc-toy-input-note").textContent = chosen ?
      "Not in use: the decoder is drawing " + what + ". Paint a cell to encode the grid again." : "";
    var out = root.querySelector(".hc-code");
    out.textContent = (this.vae >= 0 && !chosen ? "\u03bc = (" : "z = (") + HC.fmt(z[0]) + ", " + HC.fmt(z[1]) + ")" +
      (e.sigma ? ", \u03c3 = (" + HC.fmt(e.sigma[0]) + ", " + HC.fmt(e.sigma[1]) + ")" : "");
    out.setAttribute("data-z", z[0].toFixed(4) + "," + z[1].toFixed(4));
    var desc = root.querySelector(".hc-toy-what");
    if (desc) desc.textContent = "Showing " + what + ".";
    this.drawMap(z, e.sigma);
    var rc = this.recon, rg = rc.getContext("2d");
    rc.width = 8; rc.height = 8;
    var im = rg.createImageData(8, 8);
    for (var k = 0; k < 64; k++) {
      var v = Math.round(255 * (1 - rec[k]));  // dark ink on white, like the input grid
      im.data[4 * k] = v; im.data[4 * k + 1] = v; im.data[4 * k + 2] = v; im.data[4 * k + 3] = 255;
    }
    rg.putImageData(im, 0, 0);
    rc.setAttribute("aria-label", "Reconstruction of " + what + " from its code z = (" + HC.fmt(z[0]) + ", " + HC.fmt(z[1]) + ")");
  };
  Toy.prototype.drawMap = function (z, sigma) {
    var m = this.model(), W = m.window, root = this.root, labels = this.t.labels;
    var lm = this.lmap || (this.lmap = new HC.LatentMap(this.map, { window: W, codes: [], color: "" }, labels, this.t.digit_colors, this.t.map_colors.halo, this.t.prior_sigmas));
    var colors = this.t.model_colors || {};
    lm.m = { window: W, codes: m.codes, color: colors[this.vae < 0 ? "ae" : "vae"] || HC.cssVar(root, "--md-default-fg-color") };
    lm.win = W.slice();
    lm.resize();
    lm.draw(sigma ? { cloud: { mu: z, sigma: sigma } } : { point: z });
  };

  HC.register(".hc-toy", function (root) { new Toy(root).start(); });
})();
