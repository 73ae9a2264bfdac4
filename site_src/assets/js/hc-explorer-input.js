/* Latent explorer, input: toolbar buttons and toggles, pointer drag/pinch, wheel and keys. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)

  P.bind = function () {
    var self = this, root = this.root;
    function q(sel) { return root.querySelector(sel); }
    function on(sel, ev, fn) { var e = q(sel); if (e) e.addEventListener(ev, fn); }
    on(".hc-zoom-in", "click", function () { self.zoomAt(1.5); });
    on(".hc-zoom-out", "click", function () { self.zoomAt(1 / 1.5); });
    on(".hc-reset", "click", function () { self.setView(0.5, 0.5, 1); });
    [["codes", ".hc-toggle-codes"], ["holes", ".hc-toggle-holes"], ["prior", ".hc-toggle-prior"],
     ["quality", ".hc-toggle-quality"]].forEach(function (p) {
      var e = q(p[1]);
      if (!e) return;
      self.show[p[0]] = e.checked;
      e.addEventListener("change", function () { self.show[p[0]] = e.checked; self.legends(); self.redraw(); });
    });
    this.bindReplay();
    this.maps.forEach(function (map) {
      var c = map.canvas, pts = {}, drag = null;
      function local(ev) { var r = c.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
      c.addEventListener("pointerdown", function (ev) {
        c.setPointerCapture(ev.pointerId);
        pts[ev.pointerId] = local(ev);
        var ids = Object.keys(pts);
        if (ids.length === 1) drag = { start: local(ev), view: { cx: self.view.cx, cy: self.view.cy }, moved: false };
        else if (ids.length === 2) {
          var a = pts[ids[0]], b = pts[ids[1]];
          drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), zoom: self.view.zoom, moved: true };
        }
      });
      c.addEventListener("pointermove", function (ev) {
        if (!(ev.pointerId in pts) || !drag) { self.hoverAt(map, local(ev)); return; }
        pts[ev.pointerId] = local(ev);
        var ids = Object.keys(pts), p = local(ev);
        if (drag.pinch && ids.length === 2) {
          var a = pts[ids[0]], b = pts[ids[1]], d = Math.hypot(a.x - b.x, a.y - b.y);
          var mid = self.toRel(map, (a.x + b.x) / 2, (a.y + b.y) / 2);
          self.zoomAt(drag.zoom * d / drag.pinch / self.view.zoom, mid.u, mid.v);
        } else if (!drag.pinch) {
          var dx = p.x - drag.start.x, dy = p.y - drag.start.y;
          if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
          if (drag.moved) {
            var s = map.cssW * self.view.zoom;
            self.setView(drag.view.cx - dx / s, drag.view.cy - dy / s, self.view.zoom);
          }
        }
      });
      function up(ev) {
        if (!(ev.pointerId in pts)) return;
        delete pts[ev.pointerId];
        if (drag && !drag.moved && ev.type === "pointerup") {
          var p = local(ev), r = self.toRel(map, p.x, p.y);
          if (r.u >= 0 && r.u <= 1 && r.v >= 0 && r.v <= 1) self.probe(map, r.u, r.v);
        }
        if (!Object.keys(pts).length) drag = null;
      }
      c.addEventListener("pointerleave", function () { self.hoverAt(map, null); });
      c.addEventListener("pointerup", up);
      c.addEventListener("pointercancel", up);
      c.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        var p = local(ev), r = self.toRel(map, p.x, p.y);
        self.zoomAt(Math.pow(1.0015, -ev.deltaY * (ev.deltaMode === 1 ? 30 : 1)), r.u, r.v);
      }, { passive: false });
      c.addEventListener("keydown", function (ev) {
        var step = 0.1 / self.view.zoom, V = self.view, k = ev.key;
        if (k === "ArrowLeft") self.setView(V.cx - step, V.cy, V.zoom);
        else if (k === "ArrowRight") self.setView(V.cx + step, V.cy, V.zoom);
        else if (k === "ArrowUp") self.setView(V.cx, V.cy - step, V.zoom);
        else if (k === "ArrowDown") self.setView(V.cx, V.cy + step, V.zoom);
        else if (k === "+" || k === "=") self.zoomAt(1.5);
        else if (k === "-" || k === "_") self.zoomAt(1 / 1.5);
        else if (k === "0") self.setView(0.5, 0.5, 1);
        else if (k === "Enter" || k === " ") self.probe(map, V.cx, V.cy);
        else return;
        ev.preventDefault();
      });
    });
  };
})();
