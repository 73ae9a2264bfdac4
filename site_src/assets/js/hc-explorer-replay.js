/* Latent explorer, training replay: the codes of a fixed set of test images after each training
   epoch (the train stage saves them for the main pair), drawn over the final model's map, so a
   reader watches the AE's rays and the VAE's packed cloud form. Data: replay-<id>.bin (float16
   [epochs, n, 2]) and replay-labels.bin, loaded when the replay is first switched on. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)

  P.bindReplay = function () {
    var self = this, root = this.root, R = this.meta.live && this.meta.live.replay;
    var toggle = root.querySelector(".hc-toggle-replay"), row = root.querySelector(".hc-replay-row");
    if (!toggle) return;
    if (!R) { toggle.closest("label").hidden = true; return; }
    var slider = root.querySelector(".hc-replay"), out = root.querySelector(".hc-replay-epoch"), play = root.querySelector(".hc-replay-play");
    slider.min = "1"; slider.max = String(R.epochs); slider.value = String(R.epochs);
    this.replayEpoch = R.epochs;
    function show() {
      self.replayEpoch = +slider.value;
      out.textContent = "epoch " + slider.value + " of " + R.epochs;
      slider.setAttribute("aria-valuetext", out.textContent);
      root.setAttribute("data-epoch", slider.value);
      self.legends(); self.redraw();
    }
    toggle.addEventListener("change", function () {
      row.hidden = !toggle.checked;
      self.show.replay = toggle.checked;
      if (toggle.checked) self.loadReplay(R).then(show, function (e) { HC.fail(root, e); });
      else { self.legends(); self.redraw(); }
    });
    slider.addEventListener("input", show);
    play.addEventListener("click", function () {  // step through every epoch, about 3 a second
      if (self.replayTimer) return;
      slider.value = "1"; show();
      self.replayTimer = window.setInterval(function () {
        if (+slider.value >= R.epochs) { window.clearInterval(self.replayTimer); self.replayTimer = null; return; }
        slider.value = String(+slider.value + 1); show();
      }, 350);
    });
  };
  P.loadReplay = function (R) {
    var self = this, exp = this.base + "explorer/";
    if (!this.replay) {
      this.replay = Promise.all([HC.bytes(exp + R.labels)].concat(this.maps.map(function (map) {
        return HC.bytes(exp + R.files[map.id]).then(function (b) { map.replay = HC.halfToFloat(b); });
      }))).then(function (r) { self.replayLabels = new Uint8Array(r[0]); });
    }
    return this.replay;
  };
  P.drawReplay = function (map, g, px, py, D) {
    var R = this.meta.live.replay, codes = map.replay, lab = this.replayLabels;
    if (!codes || !lab) return;
    var o = (this.replayEpoch - 1) * R.n * 2, r = Math.max(1.5, Math.min(3, 1 + this.view.zoom * 0.2)) * map.dpr;
    g.save();
    g.globalAlpha = 0.85;
    for (var i = 0; i < R.n; i++) {
      var x = px(codes[o + 2 * i]), y = py(codes[o + 2 * i + 1]);
      x = Math.max(r, Math.min(D - r, x)); y = Math.max(r, Math.min(D - r, y));  // outside: pinned to the edge
      g.fillStyle = this.meta.digit_colors[lab[i] % 10];
      g.fillRect(x - r, y - r, 2 * r, 2 * r);
    }
    g.restore();
  };
})();
