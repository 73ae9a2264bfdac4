/* Latent explorer: the AE and VAE decoded-tile pyramids side by side, panned and zoomed together.
   This file: loading and the view's geometry; hc-explorer-draw.js, -axes.js, -probe.js and -input.js add
   the other methods to HC.explorerMethods (this prototype) and load before it.
   Data: <base>explorer/meta.json, <base>tiles/<id>/index.json and tiles, codes-<id>.bin (float16
   x,y), labels.bin (uint8), holes-<id>.png, realism-<id>.bin (float32) and .png, train-sheet-<k>.png (loaded on a click only). */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // methods also from hc-explorer-{draw,probe,input}.js

  function Explorer(root) {
    this.root = root;
    this.base = HC.base(root);
    this.view = { cx: 0.5, cy: 0.5, zoom: 1 };  // centre in window-relative units (y down), zoom >= 1
    this.maps = [];
    this.show = { codes: false, holes: false, prior: false, quality: false, replay: false };
    this.pending = false;
  }
  Explorer.prototype = P;

  P.start = function () {
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
          // its readout's slot too: readouts appended as their tiles arrived swapped places
          var infoSlot = HC.el("div", { "class": "hc-info-slot", "data-model": id });
          (root.querySelector(".hc-inspect") || slot).appendChild(infoSlot);
          return self.addMap(id, meta.models[id], slot, infoSlot);
        }))
      ]);
    }).then(function () {
      self.bind();
      self.bindTour();
      self.legends();
      self.tabs();
      self.resize();
      if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(root.querySelector(".hc-maps"));
      else window.addEventListener("resize", function () { self.resize(); });
      if (status) status.textContent = "";
      root.setAttribute("data-ready", "1");
    }).catch(function (e) { HC.fail(root, e); });
  };

  P.addMap = function (id, m, fig, infoSlot) {
    var self = this;
    return HC.json(this.base + m.tiles + "index.json").then(function (index) {
      var cap = HC.el("p", { "class": "hc-map-title", "aria-hidden": "true" }, m.label);
      var canvas = HC.el("canvas", {
        "class": "hc-canvas", tabindex: "0", role: "img",
        "aria-label": m.label + " latent map: decoded " + HC.words(self.root).nouns + " over x " + HC.fmt(m.window[0], 1) + " to " +
          HC.fmt(m.window[1], 1) + ", y " + HC.fmt(m.window[2], 1) + " to " + HC.fmt(m.window[3], 1) +
          ". Drag or arrow keys to pan, wheel or + and - to zoom, click or Enter to inspect a point."
      });
      var info = HC.el("div", { "class": "hc-info", "aria-live": "polite", "data-model": id });
      info.appendChild(HC.el("p", { "class": "hc-info-title" }, m.label));
      // hidden until a point is inspected: an empty 112 px box read as a black decode
      var decode = HC.el("img", { "class": "hc-decode", src: HC.BLANK, alt: "", width: "112", height: "112", hidden: "" });
      var text = HC.el("div", { "class": "hc-info-text" }, "Click the map (or focus it and press Enter) to inspect a point.");
      var nn = HC.el("div", { "class": "hc-nn", "role": "group", "aria-label": "Nearest training images" });
      info.appendChild(decode); info.appendChild(text); info.appendChild(nn);
      // Each map's panel has its own legend, right under its canvas, listing the overlays that
      // are on (legends()); the inspect panel beside the maps holds each map's readout.
      var wrap = HC.el("div", { "class": "hc-canvas-wrap" });
      var hover = HC.el("canvas", { "class": "hc-hover", width: "28", height: "28", "aria-hidden": "true", hidden: "" });
      var hoverText = HC.el("span", { "class": "hc-hover-text", "aria-hidden": "true", hidden: "" });
      wrap.appendChild(canvas); wrap.appendChild(hover); wrap.appendChild(hoverText);
      var legend = HC.el("p", { "class": "hc-legend", "aria-hidden": "true" });
      fig.appendChild(cap); fig.appendChild(wrap); fig.appendChild(legend);
      infoSlot.appendChild(info);
      var map = { id: id, m: m, index: index, fig: fig, canvas: canvas, ctx: canvas.getContext("2d"), info: info,
                  decode: decode, text: text, nn: nn, tiles: {}, codes: null, probe: null, legend: legend,
                  hover: hover, hoverText: hoverText };
      self.maps.push(map);
      HC.image(self.base + "explorer/" + m.holes).then(function (im) { map.holesImg = im; self.redraw(); });
      HC.image(self.base + "explorer/" + m.realism_png).then(function (im) { map.qualityImg = im; self.redraw(); });
      return Promise.all([
        HC.bytes(self.base + "explorer/" + m.codes).then(function (b) { map.codes = HC.halfToFloat(b); map.byLabel = null; }),
        HC.bytes(self.base + "explorer/" + m.counts).then(function (b) { map.counts = new Uint16Array(b); }),
        HC.bytes(self.base + "explorer/" + m.realism).then(function (b) { map.realism = new Float32Array(b); })
      ]);
    });
  };

  // ------------------------------------------------------------------------------ geometry
  P.maxZoom = function (map) {
    var ix = map.index, cells = Math.pow(2, ix.levels - 1) * ix.tile_digits;
    return Math.max(2, cells / 3);  // at most: one finest digit fills a third of the map
  };
  P.setView = function (cx, cy, zoom) {
    var zmax = Math.min.apply(null, this.maps.map(this.maxZoom, this));
    zoom = Math.max(1, Math.min(zmax, zoom));
    this.view.zoom = zoom;
    this.view.cx = Math.max(0, Math.min(1, cx));
    this.view.cy = Math.max(0, Math.min(1, cy));
    this.root.setAttribute("data-view", [this.view.cx, this.view.cy, zoom].map(function (v) { return v.toFixed(4); }).join(","));
    this.redraw();
  };
  P.zoomAt = function (factor, u, v) {
    var V = this.view;
    if (u === undefined) { u = V.cx; v = V.cy; }
    var z2 = Math.max(1, Math.min(Math.min.apply(null, this.maps.map(this.maxZoom, this)), V.zoom * factor));
    var r = V.zoom / z2;
    this.setView(u - (u - V.cx) * r, v - (v - V.cy) * r, z2);
  };
  // Screen (CSS px inside the canvas) <-> window-relative (u right, v down).
  P.toRel = function (map, x, y) {
    var V = this.view, w = map.cssW;
    return { u: V.cx + (x - w / 2) / (w * V.zoom), v: V.cy + (y - w / 2) / (w * V.zoom) };
  };
  P.toLatent = function (map, u, v) {
    var W = map.m.window;
    return { x: W[0] + u * (W[1] - W[0]), y: W[3] - v * (W[3] - W[2]) };
  };
  P.toRelative = function (map, x, y) {  // the inverse of toLatent
    var W = map.m.window;
    return { u: (x - W[0]) / (W[1] - W[0]), v: (W[3] - y) / (W[3] - W[2]) };
  };

  HC.register(".hc-explorer", function (root) { new Explorer(root).start(); });
})();
