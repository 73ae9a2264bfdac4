/* Holes & Clouds widgets: shared helpers (no framework, no network beyond the site itself). */
(function () {
  "use strict";
  if (window.HC) return;
  var HC = {};
  // Colours come with each widget's data (pipeline/core/palette.py, widget_palette.py), never from these files.
  // A 1x1 transparent GIF: images start with it so no <img> is ever "broken" before a click.
  HC.BLANK = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

  HC.base = function (root) {
    var b = root.getAttribute("data-base") || "assets/data/";
    return b.charAt(b.length - 1) === "/" ? b : b + "/";
  };
  // Opened from a file share (file://), browsers refuse fetch(); every data file therefore also
  // exists as "<file>.js" calling HC_DATA_PUT(key, value), which a <script> tag may load.
  HC.fileMode = location.protocol === "file:";
  var store = {}, scripts = {};
  window.HC_DATA_PUT = function (key, value) { store[key] = value; };
  // A <script> tag injected once per URL (works over http and from file://).
  HC.script = function (url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = url;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete scripts[url]; reject(new Error("cannot load " + url)); };
        document.head.appendChild(s);
      });
    }
    return scripts[url];
  };
  // A data script: loads url, resolves with what it stored under a key that keyEnd ends with.
  HC.dataScript = function (url, keyEnd) {
    return HC.script(url).then(function () {
      for (var k in store) if (keyEnd.slice(-k.length) === k) return store[k];
      throw new Error(url + " did not define its data");
    });
  };
  function viaScript(url) { return HC.dataScript(url + ".js", url); }
  // Where the widget scripts live (this file's folder), for modules loaded on first use.
  var me = document.currentScript && document.currentScript.src;
  HC.jsBase = me ? me.slice(0, me.lastIndexOf("/") + 1) : "assets/js/";
  // The in-page AE and VAE (hc-models.js, ~6 kB), loaded on first use: resolves with HC.nn.
  HC.models = function () {
    return HC.script(HC.jsBase + "hc-models.js").then(function () { return HC.nn; });
  };
  HC.json = function (url) {
    if (HC.fileMode) return viaScript(url);
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  };
  HC.bytes = function (url) {
    if (HC.fileMode) return viaScript(url).then(function (b64) {
      var bin = atob(b64), u = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
      return u.buffer;
    });
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.arrayBuffer();
    });
  };
  var imgCache = {};
  HC.image = function (url) {
    if (!imgCache[url]) {
      imgCache[url] = new Promise(function (resolve, reject) {
        var im = new Image();
        im.decoding = "async";
        im.onload = function () { resolve(im); };
        im.onerror = function () { delete imgCache[url]; reject(new Error("image " + url)); };
        im.src = url;
      });
    }
    return imgCache[url];
  };
  // float16 (little-endian) -> Float32Array, without relying on Float16Array support.
  HC.halfToFloat = function (buf) {
    var u = new Uint16Array(buf), out = new Float32Array(u.length);
    for (var i = 0; i < u.length; i++) {
      var h = u[i], s = (h & 0x8000) ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
      out[i] = e === 0 ? s * f * 5.960464477539063e-8 :
               e === 31 ? (f ? NaN : s * Infinity) : s * Math.pow(2, e - 15) * (1 + f / 1024);
    }
    return out;
  };
  // A crop of a sprite/tile image as a data: URL (for <img> elements tests and readers can see).
  HC.crop = function (img, sx, sy, w, h, scale) {
    var c = document.createElement("canvas");
    scale = scale || 1;
    c.width = w * scale; c.height = h * scale;
    var g = c.getContext("2d");
    g.imageSmoothingEnabled = false;
    g.drawImage(img, sx, sy, w, h, 0, 0, w * scale, h * scale);
    return c.toDataURL("image/png");
  };
  // Show a crop of a loaded sprite/tile image in an <img>: a data: URL when the page may read
  // canvas pixels; from file:// (a "tainted" canvas) the <img> shows the sprite itself, cropped
  // with object-position and enlarged with CSS zoom.
  HC.showCrop = function (el, img, sx, sy, w, h, scale) {
    try {
      el.src = HC.crop(img, sx, sy, w, h, scale);
      return;
    } catch (e) { /* SecurityError: fall through */ }
    el.src = img.src;
    el.style.width = w + "px"; el.style.height = h + "px";
    el.style.objectFit = "none"; el.style.objectPosition = (-sx) + "px " + (-sy) + "px";
    el.style.zoom = String(scale || 1);
  };
  HC.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  HC.niceStep = function (span) {  // a 1/2/5 x 10^k step giving about four ticks over span
    var raw = span / 4, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  };
  HC.stepDigits = function (step) { return step < 0.1 ? 2 : step < 1 ? 1 : 0; };  // decimals a tick label of that step needs
  HC.fmt = function (x, nd) { return (x < 0 ? "\u2212" : "") + Math.abs(x).toFixed(nd === undefined ? 2 : nd); };
  HC.cssVar = function (el, name) { return getComputedStyle(el).getPropertyValue(name).trim(); };
  /* The N(0, I) circles at true size around the origin (x0, y0), one per radius in o.sigmas,
     o.ux and o.uy device px per latent unit. On a map of widely spread codes (the AE's) they
     shrink to a dot: their size is the point, so they stay so, and when the outer circle is
     narrower than o.smallPx device px one label (o.smallText) on a leader line of o.lead px says
     what the dot is; it turns left where it would run past o.width. Otherwise each circle gets
     its "kσ" when o.ringLabels. o.label(text, x, y) draws a label (each widget's own halo);
     the caller sets the stroke style, line width, dash and font. The figures draw the same
     rule in matplotlib (figures/prior.py). */
  HC.priorRings = function (g, o) {
    var sig = o.sigmas, outer = sig[sig.length - 1], rx = outer * o.ux, ry = outer * o.uy;
    var small = Math.max(rx, ry) < o.smallPx;
    sig.forEach(function (s) {
      g.beginPath(); g.ellipse(o.x0, o.y0, s * o.ux, s * o.uy, 0, 0, 2 * Math.PI); g.stroke();
      if (!small && o.ringLabels) o.label(s + "\u03c3", o.x0 + s * o.ux * 0.7071 + 3, o.y0 - s * o.uy * 0.7071 - 3);
    });
    if (!small) return;
    var room = o.x0 + rx + o.lead + g.measureText(o.smallText).width + 6 <= o.width, dir = room ? 1 : -1;
    // up and to the right where there is room; below the dot where the origin is near the top
    var up = o.y0 - ry - 2 * o.lead >= 0, vdir = up ? -1 : 1;
    var lx = o.x0 + dir * rx * 0.7071, ly = o.y0 + vdir * ry * 0.7071;
    g.save();
    g.setLineDash([]);
    g.beginPath(); g.moveTo(lx, ly); g.lineTo(lx + dir * o.lead, ly + vdir * o.lead); g.stroke();
    g.textAlign = room ? "left" : "right"; g.textBaseline = up ? "bottom" : "top";
    o.label(o.smallText, lx + dir * (o.lead + 3), ly + vdir * (o.lead + 2));
    g.restore();
  };
  // Fill a legend: items are strings or [colour, text, mark] (mark defaults to a square).
  HC.legend = function (el, items) {
    el.textContent = "";
    items.forEach(function (it) {
      if (typeof it === "string") { el.appendChild(document.createTextNode(it)); return; }
      var mark = HC.el("span", null, it[2] || "\u25a0");
      mark.style.color = it[0];
      el.appendChild(mark);
      el.appendChild(document.createTextNode(it[1] + " "));
    });
  };
  /* The data set's words (site_src/partials set them on each widget from data_words): what
     one image is ("digit", "item") and the class names where they are words (none for MNIST,
     whose classes are its numerals). */
  HC.words = function (root) {
    var host = root.closest("[data-noun]"), d = host ? host.dataset : {};
    return { noun: d.noun || "digit", nouns: d.nouns || "digits", label: d.label || "digit",
             classes: d.classes ? JSON.parse(d.classes) : [] };
  };
  // A class by its index: the numeral alone, or "1 Trouser" where the classes have names.
  HC.className = function (w, k) { return w.classes.length ? k + " " + w.classes[k] : String(k); };
  // A class as a sentence names it: "a 2" / "an 8" for bare numerals, "class 1 Trouser" otherwise.
  HC.aClass = function (w, k) {
    return w.classes.length ? "class " + HC.className(w, k) : (String(k) === "8" ? "an " : "a ") + k;
  };
  HC.classItems = function (colors, w) { return colors.map(function (c, k) { return [c, HC.className(w, k)]; }); };
  HC.fail = function (root, err) {
    var p = root.querySelector(".hc-status") || root.appendChild(HC.el("p", { "class": "hc-status" }));
    p.textContent = "This widget could not load its data (" + (err && err.message ? err.message : err) + ").";
    root.setAttribute("data-error", "1");
    if (window.console) console.warn("[hc]", err);
  };
  // Run init(root) once for every element matching selector, now and after instant navigation.
  HC.register = function (selector, init) {
    function scan() {
      var roots = document.querySelectorAll(selector);
      for (var i = 0; i < roots.length; i++) {
        var r = roots[i];
        if (r.getAttribute("data-hc-init")) continue;
        r.setAttribute("data-hc-init", "1");
        try { init(r); } catch (e) { HC.fail(r, e); }
      }
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
    else scan();
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(scan);
  };
  window.HC = HC;
})();
