/* Architecture diagram: the AE's and VAE's layers as bars (height proportional to the layer's
   size), in the site's colour of each model; hover,
   focus or click a layer to see its size and one example test digit's activation there.
   Data: <base>explorer/arch.json. */
(function () {
  "use strict";
  var HC = window.HC;
  var uid = 0;
  var BAR_PX = 160;  // the largest layer's bar (the input's pixels)

  // The colour a fraction t (0..1) of the way from white to "#rrggbb".
  function whiteTo(hex, t) {
    var c = [1, 3, 5].map(function (i) { return Math.round(255 + (parseInt(hex.substr(i, 2), 16) - 255) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  function Arch(root) { this.root = root; this.base = HC.base(root); this.model = null; this.sel = 0; }

  Arch.prototype.start = function () {
    var self = this;
    HC.json(this.base + "explorer/arch.json").then(function (a) {
      self.a = a;
      var ids = Object.keys(a.models).sort();
      if (!ids.length) throw new Error("no models in arch.json");
      self.model = ids[0];
      self.build(ids);
      self.root.setAttribute("data-ready", "1");
    }).catch(function (e) { HC.fail(self.root, e); });
  };

  Arch.prototype.build = function (ids) {
    var self = this, root = this.root, bar = root.querySelector(".hc-arch-models");
    var name = "hc-arch-model-" + (++uid);
    bar.innerHTML = "";
    ids.forEach(function (id, i) {
      var lab = HC.el("label", { "class": "hc-check" });
      var inp = HC.el("input", { type: "radio", name: name, value: id, "class": "hc-arch-model" });
      if (i === 0) inp.checked = true;
      inp.addEventListener("change", function () { if (inp.checked) { self.model = id; self.sel = 0; self.diagram(); } });
      lab.appendChild(inp);
      lab.appendChild(document.createTextNode(" " + self.a.models[id].label + " (" + self.a.models[id].params.toLocaleString("en") + " parameters)"));
      bar.appendChild(lab);
    });
    this.diagram();
  };

  Arch.prototype.diagram = function () {
    var self = this, root = this.root, layers = this.a.models[this.model].layers;
    var box = root.querySelector(".hc-arch-diagram");
    box.innerHTML = "";
    var maxSize = Math.max.apply(null, layers.map(function (l) { return l.size; }));
    var C = this.colors();
    HC.legend(root.querySelector(".hc-legend"), [[C.input, "image"], [C.encoder, this.a.models[this.model].label + " layers"],
      ["currentColor", "the code (outlined)", "\u25a1"], "\u00b7 bar height proportional to the layer's size (at least 3 px, so the code stays visible); numbers: units per layer"]);
    layers.forEach(function (l, i) {
      var h = Math.max(3, BAR_PX * l.size / maxSize);  // proportional, as the static figure
      var b = HC.el("button", { type: "button", "class": "hc-layer hc-role-" + l.role, "data-index": String(i),
                                "aria-label": l.name + ": " + l.size.toLocaleString("en") + " numbers",
                                "aria-pressed": i === self.sel ? "true" : "false" });
      var barEl = HC.el("span", { "class": "hc-layer-bar" });
      barEl.style.height = h.toFixed(0) + "px";
      barEl.style.background = C[l.role];
      if (l.role === "code") barEl.classList.add("hc-code-bar");
      b.appendChild(barEl);
      b.appendChild(HC.el("span", { "class": "hc-layer-size" }, l.size.toLocaleString("en")));
      var pick = function () { self.select(i); };
      b.addEventListener("mouseenter", pick);
      b.addEventListener("focus", pick);
      b.addEventListener("click", pick);
      box.appendChild(b);
    });
    this.select(this.sel);
  };

  /* The model's colours (arch.json's per-model "colors": AE blue, VAE orange), else the roles'. */
  Arch.prototype.colors = function () { return this.a.models[this.model].colors || this.a.layer_colors; };

  Arch.prototype.select = function (i) {
    var root = this.root, l = this.a.models[this.model].layers[i];
    this.sel = i;
    var btns = root.querySelectorAll(".hc-layer");
    for (var j = 0; j < btns.length; j++) btns[j].setAttribute("aria-pressed", j === i ? "true" : "false");
    var det = root.querySelector(".hc-arch-detail");
    det.querySelector(".hc-arch-name").textContent = l.name;
    var ex = this.a.example, w = HC.words(this.root);
    var shape = l.shape.length > 1 ? l.shape.join(" × ") + " = " : "";
    var v = l.values, lo = Infinity, hi = -Infinity, zeros = 0;
    for (var k = 0; k < v.length; k++) { lo = Math.min(lo, v[k]); hi = Math.max(hi, v[k]); if (v[k] === 0) zeros++; }
    var txt = shape + l.size.toLocaleString("en") + " numbers. For the example test " + w.noun + " (#" + ex.test_index + ", class " + HC.className(w, ex.label) +
      "): values from " + HC.fmt(lo) + " to " + HC.fmt(hi) + (l.role === "encoder" || l.role === "decoder" ?
      "; " + Math.round(100 * zeros / v.length) + " % are exactly zero (ReLU; the white squares)" : "") + (l.shown ? " (" + l.shown + ")" : "") + ".";
    var vals = " = (" + v.map(function (x) { return HC.fmt(x); }).join(", ") + ")";
    if (l.code === "sigma") txt = l.name + vals + ": how far around \u03bc this image's code may fall. The VAE samples its code from this cloud, and its decoder learns to draw the same " + w.noun + " anywhere in it.";
    else if (l.code === "mu") txt = l.name + vals + ": the centre of this image's cloud, the VAE's summary of the whole image in " + v.length + " numbers.";
    else if (l.role === "code") txt = l.name + vals + ": the whole image, summarised in " + v.length + " numbers.";
    det.querySelector(".hc-arch-text").textContent = txt;
    // the activation as a grid of cells: dark = large (per-layer scale)
    var c = det.querySelector(".hc-arch-canvas"), g = c.getContext("2d");
    var rows = l.grid[0], cols = l.grid[1];
    var cell = Math.max(2, Math.floor(Math.min(224 / cols, 224 / rows)));
    var code = l.role === "code";
    if (code) cell = 56;
    c.width = cols * cell; c.height = rows * cell;
    // a code's few numbers on one fixed scale (full colour at ±3, N(0, I)'s 3σ, or at the largest
    // if beyond): per layer, two codes of 0.19 and 0.20 both drew as full, as if large
    var scale = code ? Math.max(3, Math.abs(lo), Math.abs(hi)) : Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    var pos = this.a.activation_colors.positive, neg = this.a.activation_colors.negative;
    for (var r = 0; r < rows; r++) for (var q = 0; q < cols; q++) {
      var idx = r * cols + q;
      if (idx >= v.length) continue;
      var t = v[idx] / scale;  // -1..1; a square-root ramp so weak activations still show
      g.fillStyle = whiteTo(t >= 0 ? pos : neg, v[idx] === 0 ? 0 : 0.15 + 0.85 * Math.sqrt(Math.abs(t)));
      g.fillRect(q * cell, r * cell, cell, cell);
      if (cell >= 6) { g.strokeStyle = whiteTo(pos, 0.18); g.lineWidth = 1; g.strokeRect(q * cell + 0.5, r * cell + 0.5, cell - 1, cell - 1); }
      if (code) {  // the number itself, in the square: the colour alone cannot be read off
        g.fillStyle = this.a.activation_colors.text[Math.abs(t) > 0.5 ? "on_dark" : "on_light"]; g.textAlign = "center"; g.textBaseline = "middle";
        g.font = "13px system-ui, sans-serif"; g.fillText(HC.fmt(v[idx]), (q + 0.5) * cell, (r + 0.5) * cell);
      }
    }
    c.setAttribute("aria-label", "Activation of " + l.name + " as a " + rows + " by " + cols + " grid; darker means larger" +
      (code ? " (full at " + HC.fmt(scale) + "), each square with its value" : "") + (lo < 0 ? ", orange means negative" : ""));
  };

  HC.register(".hc-arch", function (root) { new Arch(root).start(); });
})();
