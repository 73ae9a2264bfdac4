/* Latent explorer, "Take me to a hole": the hole map switched on, the view centred on the AE's
   largest hole (its first gap point: inside the codes' hull, the point farthest from every code;
   the VAE's in a build whose AE has none) and that point inspected on both maps, the other map
   at the same relative place.
   The page's "things to try" otherwise asked a reader to click a red hole on an overlay that
   starts off. */
(function () {
  "use strict";
  var HC = window.HC;
  var P = HC.explorerMethods || (HC.explorerMethods = {});  // Explorer.prototype (hc-explorer.js)
  var TOUR_ZOOM = 3;  // close enough that the hole and the digits around it are large

  P.bindTour = function () {
    var self = this, btn = this.root.querySelector(".hc-tour-hole");
    var out = this.root.querySelector(".hc-tour-text");
    // The AE's largest hole; a build whose AE has none (a tiny test build) shows the VAE's.
    var withGaps = this.maps.filter(function (map) { return map.m.gaps && map.m.gaps.length; });
    var target = withGaps.filter(function (map) { return map.m.kind === "ae"; })[0] || withGaps[0];
    if (!btn) return;
    if (!target) { btn.hidden = true; if (out) out.hidden = true; return; }  // no hole to show
    if (out) out.textContent = "The " + target.m.short + "'s largest hole, shown on the hole map and inspected on both maps.";
    btn.addEventListener("click", function () { self.tourHole(target, out); });
  };

  P.tourHole = function (target, out) {
    var toggle = this.root.querySelector(".hc-toggle-holes");
    if (toggle) toggle.checked = true;
    this.show.holes = true;
    this.legends();
    var gap = target.m.gaps[0], at = this.toRelative(target, gap[0], gap[1]);
    this.setView(at.u, at.v, TOUR_ZOOM);
    var self = this;
    this.maps.forEach(function (map) { self.probe(map, at.u, at.v); });
    this.root.setAttribute("data-tour", target.id);
    if (out) {
      var other = this.maps.filter(function (map) { return map !== target; })[0];
      out.textContent = "The crosshair marks the centre of the " + target.m.short + "'s largest hole, at (" +
        HC.fmt(gap[0], 1) + ", " + HC.fmt(gap[1], 1) + "). Its decode is in the " + target.m.short + "'s panel" +
        (other ? "; the " + other.m.short + "'s panel shows the same relative place on its own map" : "") +
        ". No training code lies there, yet its decode may still look like a " + HC.words(this.root).noun +
        ": the panel's distance line says how far it is from what the decoder draws for real images." +
        " The red crosses mark the largest holes; drag away from them to see what the decoder draws where its codes are.";
    }
  };
})();
