/* The main AE-2 and VAE-2 running in the page: dense layers over the float16 weights that
   pipeline/stages/s5_render/model_export.py writes as
   <base>explorer/model-<id>-{encoder,decoder}.js. Loaded on demand by HC.models() (hc-common.js);
   each model part's script is injected on its first use.
   Matches PyTorch within 0.01 per decoded pixel and 0.01 x the codes' spread per coordinate
   (tests/test_models_browser.py; the tolerances are written in model_export.py). */
(function () {
  "use strict";
  var HC = window.HC;
  if (HC.nn) return;

  function unpack(L) {  // base64 float16 [out * in], row-major -> Float32Array
    var bin = atob(L.w16), u = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    return { w: HC.halfToFloat(u.buffer), b: new Float32Array(L.b), n: L["in"], m: L.out, act: L.act };
  }
  function dense(L, x) {  // y = act(W x + b)
    var y = new Float32Array(L.m), w = L.w, n = L.n;
    for (var i = 0; i < L.m; i++) {
      var s = L.b[i], o = i * n;
      for (var j = 0; j < n; j++) s += w[o + j] * x[j];
      y[i] = L.act === "relu" ? (s > 0 ? s : 0) : L.act === "sigmoid" ? 1 / (1 + Math.exp(-s)) : s;
    }
    return y;
  }
  function run(layers, x) { for (var k = 0; k < layers.length; k++) x = dense(layers[k], x); return x; }

  function Model(id, enc, dec) { this.id = id; this.kind = dec.kind; this.label = dec.label; this.color = dec.color;
    this.latentDim = dec.latent_dim; this.dec = dec.layers.map(unpack); this.enc = enc ? enc.layers.map(unpack) : null;
    this.heads = {};
    if (enc) for (var h in enc.heads) this.heads[h] = unpack(enc.heads[h]); }
  /* z (array of latentDim numbers) -> Float32Array of the image's pixels in [0, 1]. */
  Model.prototype.decode = function (z) { return run(this.dec, Float32Array.from(z)); };
  /* x (the image's pixels in [0, 1]) -> {z} for the AE; {mu, logvar, sigma} for the VAE. */
  Model.prototype.encode = function (x) {
    if (!this.enc) throw new Error(this.id + ": encoder not loaded");
    var h = run(this.enc, Float32Array.from(x)), H = this.heads;
    if (H.z) return { z: Array.from(dense(H.z, h)) };
    var mu = Array.from(dense(H.mu, h)), lv = Array.from(dense(H.logvar, h));
    return { mu: mu, logvar: lv, sigma: lv.map(function (v) { return Math.exp(0.5 * v); }), z: mu };
  };

  var cache = {};
  function part(base, meta, id, name) {
    var file = meta.files[id][name], key = "explorer/" + file.replace(/\.js$/, "");
    return HC.dataScript(base + "explorer/" + file, key);
  }
  /* load(base, meta.models_live, id, withEncoder) -> Promise of a Model. */
  HC.nn = {
    load: function (base, live, id, withEncoder) {
      var k = id + (withEncoder ? "+enc" : "");
      if (!cache[k]) {
        cache[k] = Promise.all([part(base, live, id, "decoder"),
                                withEncoder ? part(base, live, id, "encoder") : null])
          .then(function (d) { return new Model(id, d[1], d[0]); });
      }
      return cache[k];
    },
    /* Pixels in [0, 1] -> ImageData-ready RGBA (white strokes on black, as MNIST). */
    paint: function (ctx, px, x0, y0, size) {
      var n = Math.round(Math.sqrt(px.length)), im = ctx.createImageData(n, n);
      for (var i = 0; i < px.length; i++) {
        var v = Math.round(255 * Math.max(0, Math.min(1, px[i])));
        im.data[4 * i] = im.data[4 * i + 1] = im.data[4 * i + 2] = v; im.data[4 * i + 3] = 255;
      }
      var tmp = document.createElement("canvas");
      tmp.width = tmp.height = n;
      tmp.getContext("2d").putImageData(im, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(tmp, x0, y0, size, size);
    }
  };
})();
