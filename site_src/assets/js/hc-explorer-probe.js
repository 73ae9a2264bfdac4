/* Latent explorer, inspecting a point: the decode at that exact point (the real decoder in the
   page; the nearest tile digit where this build has none), the codes in analyse's grid cell
   there and the five nearest training images. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)

  P.probe = function (map, u, v) {
    var self = this, ix = map.index, L = ix.levels - 1, n = ix.tile_digits;
    u = Math.max(0, Math.min(0.999999, u)); v = Math.max(0, Math.min(0.999999, v));
    var N = Math.pow(2, L) * n, i = Math.floor(u * N), j = Math.floor(v * N);
    // Without the live decoder, the decode shown is the finest level's digit whose cell holds
    // the point, decoded at its centre.
    var cu = (i + 0.5) / N, cv = (j + 0.5) / N, z = this.toLatent(map, u, v), zc = this.toLatent(map, cu, cv);
    map.probe = z;
    map.decode.hidden = false;
    this.redraw();
    var tx = Math.floor(i / n), ty = Math.floor(j / n);
    var url = this.base + map.m.tiles + ix.pattern.replace("{level}", L).replace("{x}", tx).replace("{y}", ty);
    var live = null;
    this.liveModel(map).then(function (model) { live = model; }, function () { /* tiles only */ }).then(function () {
      if (live) {  // the real decoder at the exact point
        var c = HC.el("canvas", { width: "112", height: "112" });
        HC.nn.paint(c.getContext("2d"), live.decode([z.x, z.y]), 0, 0, 112);
        map.decode.src = c.toDataURL("image/png");
        map.decode.alt = "Decode of the " + map.m.short + " at (" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + ")";
        map.fig.setAttribute("data-decoded", "live");
        if (decodedAt) decodedAt.textContent = "(" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + "), the exact point, by the decoder running in your browser";
        return;
      }
      HC.image(url).then(function (im) {
        HC.showCrop(map.decode, im, (i % n) * ix.digit_px, (j % n) * ix.digit_px, ix.digit_px, ix.digit_px, 4);
        map.decode.alt = "Decode of the " + map.m.short + " at (" + HC.fmt(zc.x) + ", " + HC.fmt(zc.y) + ")";
        map.fig.setAttribute("data-decoded", "tile");
      });
    });
    var decodedAt = null;
    // Density: codes in the analyse grid cell that holds the point (the hole map's cells).
    var W = map.m.window, G = map.m.grid, codes = map.codes, nc = codes.length / 2;
    var col = Math.floor((z.x - W[0]) / (W[1] - W[0]) * G), row = Math.floor((z.y - W[2]) / (W[3] - W[2]) * G);
    var inside = col >= 0 && col < G && row >= 0 && row < G, best = [];
    var count = inside ? map.counts[row * G + col] : 0;  // analyse's grid: row 0 = lowest y
    for (var q = 0; q < nc; q++) {
      var x = codes[2 * q], y = codes[2 * q + 1];
      var d2 = (x - z.x) * (x - z.x) + (y - z.y) * (y - z.y);
      if (best.length < 5 || d2 < best[best.length - 1][0]) {
        best.push([d2, q]);
        best.sort(function (a, b) { return a[0] - b[0]; });
        if (best.length > 5) best.pop();
      }
    }
    var cell = (W[1] - W[0]) / G, hole = count <= this.meta.hole_max_count;
    var model = map.m.short;
    map.text.innerHTML = "";
    var dl = HC.el("ul", { "class": "hc-readout" });
    function row2(k, v, cls) {
      var li = HC.el("li"); li.appendChild(HC.el("strong", null, k + " "));
      var span = HC.el("span", cls ? { "class": cls } : null, v);
      li.appendChild(span); dl.appendChild(li);
      return span;
    }
    row2(model + " point", "(" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + ")", "hc-coords");
    decodedAt = row2("Decoded at", live ? "(" + HC.fmt(z.x) + ", " + HC.fmt(z.y) + "), the exact point" :
                     "(" + HC.fmt(zc.x) + ", " + HC.fmt(zc.y) + "), the centre of the nearest tile's " + HC.words(this.root).noun);
    if (!inside) row2("Codes in its grid cell", "none: the point is outside the analysed window", "hc-density");
    else row2("Codes in its grid cell", count + " of " + nc.toLocaleString("en") + (hole ? " \u2014 a hole" : "") +
      " (cell side " + HC.fmt(cell, 3) + "; " + HC.fmt(count / (cell * cell), 1) + " codes per unit\u00b2)", "hc-density");
    if (inside && map.realism) {
      var r = map.realism[row * G + col], thr = map.m.realism_threshold;
      row2("Distance from what it draws for real images (" + map.m.realism_judge + " judge; lower is more like them)", HC.fmt(r, 2) + " \u00d7 the typical distance \u2014 " +
        (r > thr ? "off the manifold" : "on the manifold") + " (threshold " + HC.fmt(thr, 2) + ")", "hc-realism");
      map.fig.setAttribute("data-realism", String(r));
    }
    map.text.appendChild(dl);
    map.fig.setAttribute("data-density", String(count));
    map.fig.setAttribute("data-z", z.x + "," + z.y);  // exact point, for tests and scripts
    this.showNeighbours(map, best, model);
  };
  P.showNeighbours = function (map, best, model) {
    var self = this, sh = this.meta.train_sheets, nn = map.nn, w = HC.words(this.root);
    nn.innerHTML = "";
    nn.appendChild(HC.el("p", { "class": "hc-nn-title" }, "Nearest training images (by " + model + " code):"));
    var list = HC.el("ol", { "class": "hc-nn-list" });
    nn.appendChild(list);
    best.forEach(function (b) {
      var q = b[1], lab = self.labels[q];
      var li = HC.el("li", { "class": "hc-nn-item" });
      var img = HC.el("img", { "class": "hc-nn-img", src: HC.BLANK, width: "56", height: "56",
                               alt: "Training image " + q + ", class " + HC.className(w, lab) });
      var cap = HC.el("span", { "class": "hc-nn-label", "data-label": String(lab) }, String(lab));
      cap.style.borderColor = self.meta.digit_colors[lab];
      li.appendChild(img); li.appendChild(cap);
      li.title = "training image #" + q + ", class " + HC.className(w, lab) + ", distance " + HC.fmt(Math.sqrt(b[0]), 3);
      list.appendChild(li);
      var s = Math.floor(q / sh.per_sheet), p = q % sh.per_sheet;
      HC.image(self.base + "explorer/" + sh.files[s]).then(function (im) {
        HC.showCrop(img, im, (p % sh.cols) * sh.px, Math.floor(p / sh.cols) * sh.px, sh.px, sh.px, 2);
      });
    });
  };
})();
