/* The home page's hero: sample 64 points, drop them on the AE's and the VAE's latent maps and
   decode them in the page with both real decoders (hc-models.js, loaded on the first click).
   Data: <base>explorer/meta.json ("live": the model scripts) and <base>explorer/live.json. */
(function () {
  "use strict";
  var HC = window.HC;
  var COLS = 8;  // the decodes' grid: live.json's hero_samples (64) of them, 8 a row

  function gauss(n) {  // n points of N(0, I) in 2-D (Box-Muller)
    var out = [];
    for (var i = 0; i < n; i++) {
      var u = 1 - Math.random(), v = Math.random(), r = Math.sqrt(-2 * Math.log(u));
      out.push([r * Math.cos(2 * Math.PI * v), r * Math.sin(2 * Math.PI * v)]);
    }
    return out;
  }
  var SETS = {  // what each button's points are drawn from
    prior: "N(0, I)",
    box: "the AE's whole range (uniform over the box its codes fill)",
    gmm: "a Gaussian mixture fitted to the AE's codes"
  };

  function Hero(root) { this.root = root; this.base = HC.base(root); this.panels = []; }
  Hero.prototype.start = function () {
    var self = this, root = this.root;
    Promise.all([HC.json(this.base + "explorer/meta.json"), HC.json(this.base + "explorer/live.json")]).then(function (r) {
      self.meta = r[0]; self.live = r[1];
      if (!self.meta.live) throw new Error("this build's models cannot run in the page");
      [self.meta.main_pair.ae, self.meta.main_pair.vae].forEach(function (id) { if (self.live.models[id]) self.addPanel(id, self.live.models[id]); });
      var buttons = root.querySelectorAll("button[data-set]");
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {  // the pressed button names the set shown
          buttons.forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
          self.sample(b.getAttribute("data-set"));
        });
      });
      self.legend();
      self.resize();
      if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(root.querySelector(".hc-hero-panels"));
      var st = root.querySelector(".hc-status"); if (st) st.textContent = "";
      root.setAttribute("data-ready", "1");
    }).catch(function (e) { HC.fail(root, e); });
  };
  Hero.prototype.addPanel = function (id, m) {
    var fig = HC.el("div", { "class": "hc-hero-panel", "data-model": id });
    var title = HC.el("p", { "class": "hc-panel-title" }, m.label === "AE" ? "Autoencoder (AE)" : "Variational autoencoder (VAE)");
    title.style.borderColor = m.color;
    var map = HC.el("canvas", { "class": "hc-hero-map", role: "img",
      "aria-label": m.label + " latent space: its training codes coloured by " + HC.words(this.root).label + ", the 1σ, 2σ and 3σ circles of N(0, I), and the sampled points" });
    var grid = HC.el("canvas", { "class": "hc-hero-grid", role: "img", "aria-label": m.label + " decodes of the sampled points" });
    var cap = HC.el("p", { "class": "hc-hero-caption", "aria-live": "polite" }, "Press a button above to sample.");
    var row = HC.el("div", { "class": "hc-hero-row" });
    row.appendChild(map); row.appendChild(grid);
    fig.appendChild(title); fig.appendChild(row); fig.appendChild(cap);
    this.root.querySelector(".hc-hero-panels").appendChild(fig);
    var p = { id: id, m: m, fig: fig, map: new HC.LatentMap(map, m, this.live.code_labels, this.live.digit_colors, this.live.map_colors.halo, this.live.prior_sigmas),
              grid: grid, cap: cap, points: null };
    this.panels.push(p);
  };
  /* One legend under both maps: which colour is which class, and the sampled points' mark
     (a reader could not tell a 7's codes from a 1's without it). */
  Hero.prototype.legend = function () {
    var el = this.root.querySelector(".hc-legend"), w = HC.words(this.root);
    if (!el) return;
    HC.legend(el, ["Training codes by " + w.label + ":"].concat(HC.classItems(this.live.digit_colors, w),
      [[this.live.map_colors.sample, "sampled points", "\u25cf"]]));
  };
  /* The marks over a map: its sample points in black over its faint codes (a colour no digit has). */
  Hero.prototype.marks = function (p) {
    return { points: p.points, faint: !!p.points, color: this.live.map_colors.sample };
  };
  Hero.prototype.resize = function () {
    this.panels.forEach(function (p) {
      p.map.resize(); p.map.draw(this.marks(p));
      var dpr = window.devicePixelRatio || 1, w = Math.max(100, Math.floor(p.grid.clientWidth || 224));
      if (p.grid.width !== Math.round(w * dpr)) { p.grid.width = p.grid.height = Math.round(w * dpr); p.images ? this.paint(p) : this.placeholder(p); }
    }, this);
  };
  Hero.prototype.paint = function (p) {
    var g = p.grid.getContext("2d"), D = p.grid.width, cell = D / COLS;
    g.fillStyle = this.live.map_colors.background; g.fillRect(0, 0, D, D);
    p.images.forEach(function (px, k) { HC.nn.paint(g, px, (k % COLS) * cell, Math.floor(k / COLS) * cell, cell); });
  };
  /* Before the first sample the grid says what will appear there, instead of standing black. */
  Hero.prototype.placeholder = function (p) {
    var g = p.grid.getContext("2d"), D = p.grid.width;
    g.fillStyle = this.live.map_colors.background; g.fillRect(0, 0, D, D);
    g.fillStyle = this.live.map_colors.placeholder; g.textAlign = "center"; g.textBaseline = "middle";
    g.font = Math.round(D / 14) + "px system-ui, sans-serif";
    ["Press a button above:", "its 64 decodes", "appear here"].forEach(function (line, i) {
      g.fillText(line, D / 2, D / 2 + (i - 1) * D / 10);
    });
  };
  /* The AE's next 64 of the report's points of a sampler ("box", "gmm"): each press shows the
     next set, so a second press does not look like nothing happened. */
  Hero.prototype.ownSet = function (kind) {
    var all = this.live.samples["ae_" + kind], per = this.live.hero_samples;
    var sets = Math.max(1, Math.floor(all.length / per));
    this.next = this.next || {};
    var k = this.next[kind] = this.next[kind] === undefined ? 0 : (this.next[kind] + 1) % sets;
    return { points: all.slice(k * per, (k + 1) * per), k: k, sets: sets };
  };
  /* kind: "prior" (both models), "box" or "gmm" (the AE only: the VAE panel keeps the N(0, I)
     sample it shows, and draws one only while it has none, so an AE button changes the AE). */
  Hero.prototype.sample = function (kind) {
    var self = this, z = gauss(this.live.hero_samples), meta = this.meta, own = kind === "prior" ? null : this.ownSet(kind);
    var todo = this.panels.filter(function (p) { return !own || p.m.kind === "ae" || !p.points; });
    this.root.setAttribute("data-busy", "1");
    HC.models().then(function (nn) {
      return Promise.all(todo.map(function (p) { return nn.load(self.base, meta.live, p.id, false); }));
    }).then(function (models) {
      todo.forEach(function (p, i) {
        var mine = p.m.kind === "ae" && own, set = mine ? kind : "prior";
        p.points = mine ? own.points : z;
        p.images = p.points.map(function (q) { return models[i].decode(q); });
        p.map.draw(self.marks(p));
        self.paint(p);
        var out = p.map.outside(p.points);
        p.cap.textContent = self.caption(p, set, mine ? own : null, out);
        p.fig.setAttribute("data-outside", String(out));
        p.fig.setAttribute("data-set", set);
        p.fig.setAttribute("data-n", String(p.points.length));
        p.fig.setAttribute("data-z0", p.points[0][0] + "," + p.points[0][1]);
      });
      self.root.removeAttribute("data-busy");
    }).catch(function (e) { HC.fail(self.root, e); });
  };
  /* What a panel's grid shows: the set, where its points land on the map (out: how many lie
     beyond it), what FID counts. */
  Hero.prototype.caption = function (p, set, own, out) {
    var w = p.m.window, reach = 6 / Math.min(w[1] - w[0], w[3] - w[2]);  // N(0, I)'s ±3σ over the map
    return p.points.length + " points from " + SETS[set] + ", decoded by the " + p.m.label + "'s decoder in your browser." +
      (own ? " They are set " + (own.k + 1) + " of " + own.sets + " of the points the side-by-side page scores; press again for the next." : "") +
      (set === "prior" && reach < 0.25 ?
        " N(0, I)'s ±3σ spans " + Math.max(1, Math.round(100 * reach)) + " % of this map's width, so they all land close to its origin, where the axes cross." : "") +
      (out ? " " + out + " of them lie beyond the map, which shows the middle 99 % of the codes (rings on its edge)." : "") +
      // sharp decodes from one or two classes looked like the best sampler on the page
      (set === "box" ? " Sharp decodes are not the whole story: a good sampler also draws every " + HC.words(this.root).noun +
        " about equally often. The side-by-side page scores both." : "");
  };

  HC.register(".hc-hero", function (root) { new Hero(root).start(); });
})();
