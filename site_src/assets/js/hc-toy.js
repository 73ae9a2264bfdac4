/* Toy autoencoder 64 -> 32 -> 2 -> 32 -> 64, run in the page from <base>toy/toy.json:
   toggle cells of the 8x8 grid and see the 2-D code move on the map of the 1,797 digits' codes,
   and the decoder's reconstruction. Plain matrix-vector products, no library. */
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

  function Toy(root) { this.root = root; this.base = HC.base(root); this.x = new Float64Array(64); this.example = 0; }

  Toy.prototype.start = function () {
    var self = this;
    HC.json(this.base + "toy/toy.json").then(function (t) { self.t = t; self.build(); self.root.setAttribute("data-ready", "1"); })
      .catch(function (e) { HC.fail(self.root, e); });
  };
  Toy.prototype.encode = function (x) { var L = this.t.layers; return dense(L.enc2, dense(L.enc1, x)); };
  Toy.prototype.decode = function (z) { var L = this.t.layers; return dense(L.dec2, dense(L.dec1, z)); };

  Toy.prototype.build = function () {
    var self = this, root = this.root;
    var grid = root.querySelector(".hc-toy-grid");
    HC.legend(root.querySelector(".hc-legend"), HC.digitItems(this.t.digit_colors));
    grid.innerHTML = "";
    this.cells = [];
    for (var r = 0; r < 8; r++) for (var c = 0; c < 8; c++) {
      var b = HC.el("button", { type: "button", "class": "hc-cell", "data-index": String(r * 8 + c),
                                "aria-pressed": "false", "aria-label": "Row " + (r + 1) + ", column " + (c + 1),
                                tabindex: r === 0 && c === 0 ? "0" : "-1" });
      grid.appendChild(b);
      this.cells.push(b);
    }
    grid.addEventListener("click", function (ev) {
      var b = ev.target.closest(".hc-cell");
      if (!b) return;
      var i = +b.getAttribute("data-index");
      self.x[i] = self.x[i] >= 0.5 ? 0 : 1;
      self.update();
    });
    grid.addEventListener("keydown", function (ev) {  // roving focus: arrows move, Enter/Space toggle
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
    var on = function (sel, fn) { var e = root.querySelector(sel); if (e) e.addEventListener("click", fn); };
    on(".hc-toy-clear", function () { self.x.fill(0); self.update(); });
    on(".hc-toy-invert", function () { for (var i = 0; i < 64; i++) self.x[i] = 1 - self.x[i]; self.update(); });
    on(".hc-toy-example", function () { self.loadExample(self.example); self.example = (self.example + 1) % self.t.n; });
    on(".hc-toy-random", function () {
      self.example = Math.floor(Math.random() * self.t.n);
      self.loadExample(self.example);
    });
    this.map = root.querySelector(".hc-toy-map");
    this.recon = root.querySelector(".hc-toy-recon");
    this.map.addEventListener("click", function (ev) {  // click the map: decode that point
      var r = self.map.getBoundingClientRect(), W = self.t.window;
      var z = [W[0] + (ev.clientX - r.left) / r.width * (W[1] - W[0]), W[3] - (ev.clientY - r.top) / r.height * (W[3] - W[2])];
      self.show(z, self.decode(z), "the point you clicked on the map");
    });
    this.loadExample(0);
    this.example = 1;
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
    for (var i = 0; i < 64; i++) {
      var v = this.x[i], b = this.cells[i];
      b.setAttribute("aria-pressed", v >= 0.5 ? "true" : "false");
      b.style.setProperty("--hc-ink", String(v));
    }
    var z = this.encode(this.x);
    this.show(z, this.decode(z), what || "your drawing");
  };

  Toy.prototype.show = function (z, rec, what) {
    var t = this.t, W = t.window, root = this.root;
    var out = root.querySelector(".hc-code");
    out.textContent = "z = (" + HC.fmt(z[0]) + ", " + HC.fmt(z[1]) + ")";
    out.setAttribute("data-z", z[0].toFixed(4) + "," + z[1].toFixed(4));
    var desc = root.querySelector(".hc-toy-what");
    if (desc) desc.textContent = "Showing " + what + ".";
    // the map
    var c = this.map, g = c.getContext("2d"), dpr = window.devicePixelRatio || 1;
    var size = 300;  // CSS px, fixed in widgets.css
    if (c.width !== Math.round(size * dpr) || c.height !== c.width) { c.width = Math.round(size * dpr); c.height = c.width; }
    var D = c.width, X = function (x) { return (x - W[0]) / (W[1] - W[0]) * D; }, Y = function (y) { return (W[3] - y) / (W[3] - W[2]) * D; };
    g.fillStyle = HC.cssVar(root, "--md-default-bg-color"); g.fillRect(0, 0, D, D);
    g.strokeStyle = HC.cssVar(root, "--md-default-fg-color--lighter"); g.strokeRect(0.5, 0.5, D - 1, D - 1);
    var r = 2 * dpr;
    g.globalAlpha = 0.8;
    for (var i = 0; i < t.codes.length; i++) {
      g.fillStyle = t.digit_colors[t.labels[i]];
      g.fillRect(X(t.codes[i][0]) - r / 2, Y(t.codes[i][1]) - r / 2, r, r);
    }
    g.globalAlpha = 1;
    var cx = Math.max(0, Math.min(D, X(z[0]))), cy = Math.max(0, Math.min(D, Y(z[1])));
    g.lineWidth = 3 * dpr; g.strokeStyle = HC.cssVar(root, "--md-default-bg-color");
    g.beginPath(); g.arc(cx, cy, 7 * dpr, 0, 2 * Math.PI); g.stroke();
    g.lineWidth = 2 * dpr; g.strokeStyle = HC.cssVar(root, "--md-default-fg-color");
    g.beginPath(); g.arc(cx, cy, 7 * dpr, 0, 2 * Math.PI); g.stroke();
    // the reconstruction
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

  HC.register(".hc-toy", function (root) { new Toy(root).start(); });
})();
